"""Who is calling: a personal bearer token, or the browser session (with CSRF on writes)."""

from wagtail.api.v3.auth import BearerTokenAuth

from ninja.security import SessionAuth

from accounts.middleware import mfa_waived


class SessionWithMFAAuth(SessionAuth):
    """The browser session; a privileged user must have finished setting up MFA first."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is None:
            return None
        if user.requires_mfa and not mfa_waived(user):
            from allauth.mfa.utils import is_mfa_enabled

            if not is_mfa_enabled(user):
                return None
        return user


# A bearer header, when present, decides alone: an invalid token never falls back to the cookie.
token_or_session = [BearerTokenAuth(), SessionWithMFAAuth()]
