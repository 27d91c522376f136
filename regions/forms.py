from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import LEVEL_DEPTH, RegionLevel
from .models import Region
from .selectors import region_ancestors


class RegionPickerWidget(forms.TextInput):
    """A code input enhanced into province → city → county → township → village selects,
    plus a search box by Chinese name. Works without JavaScript (type the official code)."""

    template_name = "regions/widgets/region_picker.html"

    def __init__(self, attrs=None, max_level: str = RegionLevel.VILLAGE):
        base = {"inputmode": "numeric", "pattern": "[0-9]{6,12}", "autocomplete": "off"}
        base.update(attrs or {})
        super().__init__(base)
        self.max_level = max_level

    class Media:
        js = ["regions/region-picker.js"]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        region = None
        if isinstance(value, Region):
            region = value
        elif value:
            region = Region.objects.filter(code=str(value)).first()
        chain = [*region_ancestors(region=region), region] if region else []
        context["widget"]["value"] = region.code if region else (value or "")
        context["widget"]["chain"] = [{"code": r.code, "name": r.name} for r in chain]
        context["widget"]["max_depth"] = LEVEL_DEPTH[self.max_level]
        return context


class RegionField(forms.Field):
    """A region chosen by official code; cleans to a `Region`."""

    default_error_messages = {
        "unknown": _("There is no region with the code %(code)s."),
        "too_high": _("Choose a region at %(level)s level or below."),
        "too_low": _("Choose a region at %(level)s level or above."),
    }

    def __init__(
        self, *, min_level: str | None = None, max_level: str = RegionLevel.VILLAGE, **kwargs
    ):
        self.min_level = min_level
        self.max_level = max_level
        kwargs.setdefault("widget", RegionPickerWidget(max_level=max_level))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value.code if isinstance(value, Region) else value

    def to_python(self, value):
        if isinstance(value, Region):
            return value
        code = (value or "").strip()
        if not code:
            return None
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"code": code}
            )
        if self.min_level and region.depth < LEVEL_DEPTH[self.min_level]:
            raise forms.ValidationError(
                self.error_messages["too_high"],
                code="too_high",
                params={"level": RegionLevel(self.min_level).label},
            )
        if region.depth > LEVEL_DEPTH[self.max_level]:
            raise forms.ValidationError(
                self.error_messages["too_low"],
                code="too_low",
                params={"level": RegionLevel(self.max_level).label},
            )
        return region

    def has_changed(self, initial, data):
        initial_code = initial.code if isinstance(initial, Region) else (initial or "")
        return str(initial_code) != str(data or "")
