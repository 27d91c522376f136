"""Forms of the graduate profile. They only shape the input: every rule is in
jobs.services.profiles and jobs.services.documents, whose errors land on these fields."""

from itertools import groupby

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from regions.choices import RegionLevel
from regions.forms import RegionField

from .choices import Dialect, DocumentKind, EducationLevel, PoliticalStatus
from .models import GraduateProfile, Major, University


def _university_choices() -> list:
    return [("", _("Other university (type its name below)"))] + [
        (u.pk, u.name) for u in University.objects.only("pk", "name").order_by("name")
    ]


def _major_choices() -> list:
    majors = Major.objects.only("code", "name", "class_name", "category_name").order_by("code")
    choices: list = [("", "—")]
    for (category, klass), group in groupby(majors, key=lambda m: (m.category_name, m.class_name)):
        choices.append(
            (f"{category} · {klass}", [(m.code, f"{m.name}（{m.code}）") for m in group])
        )
    return choices


def _privacy_label():
    return format_html(
        '{} <a href="{}" target="_blank" rel="noopener">{}</a>',
        _("I have read the"),
        reverse("jobs:privacy_notice"),
        _("privacy notice"),
    )


class GraduateProfileForm(forms.Form):
    real_name = forms.CharField(
        label=_("Real name"),
        max_length=32,
        help_text=_("As on your resident ID card."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_number = forms.CharField(
        label=_("Resident ID number"),
        max_length=24,
        required=False,
        help_text=_("18 characters. Your gender and date of birth are taken from it."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )
    hometown = RegionField(
        label=_("Registered hometown (hukou)"),
        min_level=RegionLevel.VILLAGE,
        help_text=_("Choose down to your village or community."),
    )
    university = forms.TypedChoiceField(
        label=_("University"), required=False, coerce=int, empty_value=None
    )
    university_other = forms.CharField(
        label=_("Other university"),
        max_length=64,
        required=False,
        help_text=_("Only if your university is not in the list."),
    )
    education_level = forms.ChoiceField(
        label=_("Highest education"), choices=EducationLevel.choices
    )
    full_time = forms.BooleanField(label=_("Full-time study"), required=False, initial=True)
    major = forms.ChoiceField(label=_("Major"), required=False)
    graduation_year = forms.IntegerField(
        label=_("Graduation year"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1980}),
    )
    political_status = forms.ChoiceField(
        label=_("Political status"), choices=PoliticalStatus.choices
    )
    dialects = forms.MultipleChoiceField(
        label=_("Dialects you speak"),
        choices=Dialect.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    privacy_notice_acknowledged = forms.BooleanField(required=False)
    sensitive_consent = forms.BooleanField(
        label=_(
            "I separately consent to the processing of my resident ID number, a sensitive "
            "piece of personal information, to check my identity and eligibility for the "
            "rounds I apply to."
        ),
        required=False,
    )

    def __init__(self, *args, profile: GraduateProfile | None, consents_needed: dict, **kwargs):
        initial = kwargs.pop("initial", None) or {}
        if profile is not None:
            initial = {
                "real_name": profile.real_name,
                "phone": profile.phone,
                "hometown": profile.hometown,
                "university": profile.university_id,
                "university_other": profile.university_other,
                "education_level": profile.education_level,
                "full_time": profile.full_time,
                "major": profile.major.code if profile.major_id else "",
                "graduation_year": profile.graduation_year,
                "political_status": profile.political_status,
                "dialects": profile.dialects,
                **initial,
            }
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["university"].choices = _university_choices()
        self.fields["major"].choices = _major_choices()
        if profile is not None:
            self.fields["id_number"].help_text = _(
                "Stored as %(masked)s. Leave empty to keep it; type it again only to correct it."
            ) % {"masked": profile.id_number_masked}
        else:
            self.fields["id_number"].required = True
        if consents_needed.get("privacy_notice"):
            self.fields["privacy_notice_acknowledged"].label = _privacy_label()
        else:
            del self.fields["privacy_notice_acknowledged"]
        if not consents_needed.get("sensitive_id_number"):
            del self.fields["sensitive_consent"]


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("File (JPEG, PNG or PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )


class AccountDeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my profile, documents and consents will be erased for good."),
        required=True,
    )
