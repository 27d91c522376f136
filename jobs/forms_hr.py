"""Forms of the HR work screens: list filters, eligibility decisions, scores, notice.

The score import's upload form is core.uploads.ImportFileForm.
"""

import datetime

from django import forms
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .choices import ApplicationStatus, PlacementStatus
from .selectors.hr import (
    CHOICE_ANY,
    CHOICE_FIRST,
    ELIGIBILITY_CONFIRMED,
    ELIGIBILITY_PENDING,
    ELIGIBILITY_REJECTED,
    SORT_NAME,
    SORT_SCORE,
    SORT_SUBMITTED,
    SORT_SUBMITTED_OLDEST,
    round_posts,
    round_townships,
)
from .services.hr import REASON_MAX
from .services.scores import SCORE_MAX, SCORE_MIN


class FastSelect(forms.Select):
    """A select rendered in Python: a round may have hundreds of posts, and the template-based
    rendering of Django's Select costs about a millisecond per option."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        selected = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if str(key) == selected else "", label)
                for key, label in self.choices
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(attrs), options)


class ApplicationFilterForm(forms.Form):
    """Only renders the filters: the selector reads the query string itself, ignoring bad values."""

    post = forms.ChoiceField(label=_("Post"), required=False, widget=FastSelect)
    choice = forms.ChoiceField(
        label=_("Post or township as"),
        required=False,
        choices=[(CHOICE_ANY, _("any preference")), (CHOICE_FIRST, _("first choice"))],
    )
    township = forms.ChoiceField(label=_("Township"), required=False, widget=FastSelect)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *ApplicationStatus.choices]
    )
    eligibility = forms.ChoiceField(
        label=_("Eligibility"),
        required=False,
        choices=[
            ("", _("All")),
            (ELIGIBILITY_PENDING, _("Awaiting review")),
            (ELIGIBILITY_CONFIRMED, _("Confirmed")),
            (ELIGIBILITY_REJECTED, _("Not eligible")),
        ],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            (SORT_SUBMITTED, _("Newest first")),
            (SORT_SUBMITTED_OLDEST, _("Oldest first")),
            (SORT_NAME, _("Name")),
            (SORT_SCORE, _("Total score")),
        ],
    )

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].choices = [("", _("All posts")), *round_posts(round_)]
        self.fields["township"].choices = [("", _("All townships")), *round_townships(round_)]


class PlacementForm(forms.Form):
    """Move a placement on: the statuses offered are those allowed from where it stands."""

    status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(
        label=_("Reason or note (required when the person leaves)"),
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, statuses: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, PlacementStatus(s).label) for s in statuses]

    def clean(self):
        cleaned = super().clean()
        cleaned["reason"] = " ".join(cleaned.get("reason", "").split())
        if cleaned.get("status") == PlacementStatus.LEFT and not cleaned["reason"]:
            self.add_error("reason", _("Say why the person leaves the post."))
        return cleaned


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the graduate will read it)"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_reason(self):
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise forms.ValidationError(_("Say why the application is not eligible."))
        return reason


class ScoreForm(forms.Form):
    written_score = forms.DecimalField(
        label=_("Written exam score"),
        min_value=SCORE_MIN,
        max_value=SCORE_MAX,
        max_digits=5,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    interview_score = forms.DecimalField(
        label=_("Interview score"),
        min_value=SCORE_MIN,
        max_value=SCORE_MAX,
        max_digits=5,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )


class NoticeForm(forms.Form):
    opens_on = forms.DateField(
        label=_("The notice opens on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("The notice ends on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "Empty: the round's number of working days (Monday to Friday) from the opening day. "
            "Public holidays are not taken into account: around a holiday, set the end date yourself."
        ),
    )
    objection_contact = forms.CharField(
        label=_("Contact for objections"),
        max_length=200,
        help_text=_("Office, telephone or address where objections are received."),
    )

    def __init__(self, *args, round_, **kwargs):
        kwargs.setdefault(
            "initial",
            {"opens_on": timezone.localdate(), "objection_contact": round_.objection_contact},
        )
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        opens_on: datetime.date | None = cleaned.get("opens_on")
        ends_on: datetime.date | None = cleaned.get("ends_on")
        if opens_on and ends_on and ends_on < opens_on:
            self.add_error("ends_on", _("The notice cannot end before it opens."))
        return cleaned
