from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import resolve
from django.urls.exceptions import Resolver404
from django.utils.translation import gettext as _

from allauth.mfa.utils import is_mfa_enabled

# Pages a privileged user without a second factor may still open: setting one up, leaving.
MFA_EXEMPT_URL_NAMES = frozenset(
    {
        "account_logout",
        "account_email",
        "account_confirm_email",
        "account_email_verification_sent",
        "mfa_index",
        "mfa_activate_totp",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_reauthenticate",
        "account_reauthenticate",
    }
)


def mfa_waived(user) -> bool:
    return settings.DEMO_MFA_WAIVER and settings.DEBUG and getattr(user, "is_demo", False)


class RequireMFAMiddleware:
    """HR officers, training editors and administrators must have a second factor to go anywhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith((settings.STATIC_URL, "/api/", "/healthz")):
            # The API checks MFA in its own session authentication (api/auth.py).
            return self.get_response(request)
        user = request.user
        if (
            user.is_authenticated
            and user.requires_mfa
            and not mfa_waived(user)
            and not self._exempt(request)
            and not is_mfa_enabled(user)
        ):
            messages.warning(
                request,
                _(
                    "Your role gives you access to other people's data. Set up an authenticator app to continue."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _exempt(request) -> bool:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.url_name in MFA_EXEMPT_URL_NAMES or match.url_name in {"set_language"}
