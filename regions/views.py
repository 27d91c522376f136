from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .forms import RegionField
from .selectors import region_ancestors, region_children


class RegionLookupForm(forms.Form):
    region = RegionField(label=_("Region"), required=False)


def region_browser(request):
    """A public page to find a region and its official code, with the region picker."""
    form = RegionLookupForm(request.GET or None)
    region = form.cleaned_data.get("region") if form.is_valid() else None
    context = {"form": form, "region": region}
    if region is not None:
        context["ancestors"] = region_ancestors(region=region)
        context["children"] = region_children(region=region)
    return render(request, "regions/browser.html", context)
