"""{% application_explanation application as explanation %} for the graduate's pages."""

from django import template

from ..selectors.matching import application_explanation as _application_explanation

register = template.Library()


@register.simple_tag
def application_explanation(application):
    return _application_explanation(application)
