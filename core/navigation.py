"""What the navigation offers depends on what the user's roles can do."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] | None = None  # None: everyone signed in

    def url(self) -> str | None:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


SIGNED_IN_ITEMS = [
    NavItem(_("My dashboard"), "accounts:dashboard"),
    NavItem(_("My learning"), "training:my_learning"),
    NavItem(_("My graduate profile"), "jobs:profile", frozenset({Role.GRADUATE})),
    NavItem(
        _("My region"),
        "accounts:hr_overview",
        frozenset({Role.HR_OFFICER, Role.TRAINING_EDITOR, Role.ADMIN}),
    ),
    NavItem(
        _("Invite cadres"),
        "accounts:cadre_invite",
        frozenset({Role.HR_OFFICER, Role.TRAINING_EDITOR, Role.ADMIN}),
    ),
    NavItem(
        _("Assign courses"),
        "training:assign",
        frozenset({Role.HR_OFFICER, Role.TRAINING_EDITOR, Role.ADMIN}),
    ),
    NavItem(_("Recruitment"), "jobs:hr_rounds", frozenset({Role.HR_OFFICER, Role.ADMIN})),
    NavItem(
        _("Content admin"),
        "wagtailadmin_home",
        frozenset({Role.TRAINING_EDITOR, Role.ADMIN}),
    ),
    NavItem(_("Account settings"), "accounts:profile"),
]


def navigation_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    items = []
    for item in SIGNED_IN_ITEMS:
        if item.roles is not None and not (user.roles & item.roles):
            continue
        url = item.url()
        if url:
            items.append({"label": item.label, "url": url, "name": item.url_name})
    return items
