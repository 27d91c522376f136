"""Forms of the HR screens for rounds and posts. They parse input; the services decide."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.uploads import ImportFileForm
from regions.choices import RegionLevel
from regions.forms import RegionField

from .choices import Dialect, EducationLevel, HometownRestriction
from .models import DEFAULT_POST_TITLE, Major, RecruitmentRound
from .services.post_import import LIST_SPLIT
from .services.rounds import ROUND_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

# The round fields an officer sets on this form: all the service takes but the preservice path.
ROUND_FORM_FIELDS = [name for name in ROUND_FIELDS if name != "preservice_path"]


class RoundForm(forms.ModelForm):
    """The round's settings; `region` only when creating (the owner never changes)."""

    region = RegionField(
        label=_("Owning county or city"),
        min_level=RegionLevel.CITY,
        max_level=RegionLevel.COUNTY,
        help_text=_("The county or city whose HR office runs the round, inside your scope."),
    )

    class Meta:
        model = RecruitmentRound
        fields = ROUND_FORM_FIELDS
        widgets = {
            "announce_on": DATE,
            "applications_open_at": DATETIME,
            "applications_close_at": DATETIME,
            "eligibility_review_until": DATE,
            "scores_until": DATE,
            "matching_on": DATE,
            "onboarding_on": DATE,
            "age_reference_date": DATE,
        }

    def __init__(self, *args, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["region"]
        for name in ("applications_open_at", "applications_close_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]

    def _post_clean(self):
        # The service validates the whole round (with messages naming the stages); the model's
        # own full_clean would only repeat part of it.
        pass

    def service_data(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in ROUND_FORM_FIELDS if name in self.cleaned_data
        }


class RoundAdvanceForm(forms.Form):
    to_stage = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note (optional)"), max_length=200, required=False)


def _majors_from(text: str) -> list[Major]:
    codes = [c for c in LIST_SPLIT.split(text or "") if c]
    if not codes:
        return []
    found = {m.code: m for m in Major.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ValidationError(
            _("There is no major with the code %(codes)s in the catalogue."),
            params={"codes": "、".join(unknown)},
        )
    return [found[c] for c in dict.fromkeys(codes)]


class PostFieldsForm(forms.Form):
    """The requirements of a post (without its village)."""

    title = forms.CharField(label=_("Title"), max_length=64, initial=DEFAULT_POST_TITLE)
    headcount = forms.IntegerField(label=_("Headcount"), min_value=1, max_value=99, initial=1)
    min_education = forms.ChoiceField(
        label=_("Minimum education"),
        choices=EducationLevel.choices,
        initial=EducationLevel.JUNIOR_COLLEGE,
    )
    full_time_required = forms.BooleanField(
        label=_("Full-time degree required"), required=False, initial=True
    )
    majors = forms.CharField(
        label=_("Majors (catalogue codes)"),
        required=False,
        help_text=_(
            "Codes from the national catalogue separated by “;”, e.g. 120402;030101. Empty: any major."
        ),
    )
    max_age_junior_college = forms.IntegerField(
        label=_("Age limit: junior college"), required=False, min_value=18, max_value=60
    )
    max_age_bachelor = forms.IntegerField(
        label=_("Age limit: bachelor's degree"), required=False, min_value=18, max_value=60
    )
    max_age_master = forms.IntegerField(
        label=_("Age limit: master's degree"), required=False, min_value=18, max_value=60
    )
    max_age_doctor = forms.IntegerField(
        label=_("Age limit: doctorate"), required=False, min_value=18, max_value=60
    )
    hometown_restriction = forms.ChoiceField(
        label=_("Hometown restriction"),
        choices=HometownRestriction.choices,
        initial=HometownRestriction.NONE,
    )
    dialects = forms.MultipleChoiceField(
        label=_("Dialects (any one of them)"),
        choices=Dialect.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    monthly_subsidy_yuan = forms.DecimalField(
        label=_("Monthly subsidy (yuan)"),
        min_value=Decimal(0),
        max_value=Decimal(100_000),
        decimal_places=2,
        initial=Decimal(0),
    )
    service_term_months = forms.IntegerField(
        label=_("Service term (months)"), min_value=1, max_value=120, initial=24
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    AGE_FIELDS = {
        "max_age_junior_college": EducationLevel.JUNIOR_COLLEGE,
        "max_age_bachelor": EducationLevel.BACHELOR,
        "max_age_master": EducationLevel.MASTER,
        "max_age_doctor": EducationLevel.DOCTOR,
    }
    # Where a service's error about a model field is shown.
    SERVICE_FIELDS = {
        "monthly_subsidy_fen": "monthly_subsidy_yuan",
        "max_age_by_level": "max_age_bachelor",
        "full_time_required": "full_time_required",
    }

    def clean_majors(self):
        return _majors_from(self.cleaned_data.get("majors", ""))

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"].strip(),
            "headcount": data["headcount"],
            "min_education": data["min_education"],
            "full_time_required": data["full_time_required"],
            "majors": data["majors"],
            "max_age_by_level": {
                level.value: data[name]
                for name, level in self.AGE_FIELDS.items()
                if data.get(name) is not None
            },
            "hometown_restriction": data["hometown_restriction"],
            "dialects": list(data["dialects"]),
            "monthly_subsidy_fen": int(data["monthly_subsidy_yuan"] * 100),
            "service_term_months": data["service_term_months"],
            "description": data["description"],
        }

    @classmethod
    def initial_from(cls, post) -> dict:
        ages = post.max_age_by_level or {}
        return {
            "title": post.title,
            "headcount": post.headcount,
            "min_education": post.min_education,
            "full_time_required": post.full_time_required,
            "majors": ";".join(m.code for m in post.majors.all()),
            **{name: ages.get(level.value) for name, level in cls.AGE_FIELDS.items()},
            "hometown_restriction": post.hometown_restriction,
            "dialects": post.dialects,
            "monthly_subsidy_yuan": post.monthly_subsidy_yuan.quantize(Decimal("0.01")),
            "service_term_months": post.service_term_months,
            "description": post.description,
        }


class PostForm(PostFieldsForm):
    village = RegionField(
        label=_("Village (community)"),
        min_level=RegionLevel.VILLAGE,
        help_text=_("Choose the village, or type its 12-digit official code."),
    )
    field_order = ["village"]

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["village"]


class TownshipPostsForm(PostFieldsForm):
    township = RegionField(
        label=_("Township"),
        min_level=RegionLevel.TOWNSHIP,
        max_level=RegionLevel.TOWNSHIP,
        help_text=_(
            "One post is created at every village of this township that has no operator in post "
            "and no post in this round yet."
        ),
    )
    field_order = ["township"]


# The size check repeats the reader's (import_rows), with the same message, on the form field.
PostImportForm = ImportFileForm


def apply_service_errors(
    form: forms.Form, error: ValidationError, mapping: dict | None = None
) -> None:
    """Show a service's ValidationError on the form fields it names (others on the form)."""
    mapping = mapping or {}
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            target = mapping.get(name, name)
            for message in messages:
                form.add_error(target if target in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
