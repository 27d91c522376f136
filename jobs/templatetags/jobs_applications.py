"""{% application_next_step application as next %}: what happens next and when (used by the
status e-mail, which is rendered by jobs.services.status)."""

from django import template

from ..selectors.applications import application_next_step as _next_step

register = template.Library()


@register.simple_tag
def application_next_step(application):
    return _next_step(application)
