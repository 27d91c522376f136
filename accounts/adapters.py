from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.urls import reverse, translate_url
from django.utils import translation

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context

from core.email import email_enqueue

from .choices import Role


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        from .models import User

        user = User.objects.filter(email__iexact=email).only("preferred_language").first()
        language = user.preferred_language if user else translation.get_language()
        # The context allauth's own send_mail gives its templates ("Hello from {{ site }}",
        # "an account with email {{ email }}"), which overriding send_mail must keep.
        request = allauth_context.request
        ctx = {"request": request, "email": email}
        if request is not None:
            ctx["current_site"] = get_current_site(request)
        ctx.update(context)
        with translation.override(language):
            message = self.render_mail(template_prefix, email, ctx)
        email_enqueue(message)

    def save_user(self, request, user, form, commit=True):
        """Self sign-up is for graduates; every other role is given, not taken."""
        user = super().save_user(request, user, form, commit=False)
        user.preferred_language = translation.get_language() or settings.LANGUAGE_CODE
        if commit:
            user.save()
            from .services import role_grant

            role_grant(user=user, role=Role.GRADUATE)
        return user

    def get_login_redirect_url(self, request):
        url = super().get_login_redirect_url(request)
        language = getattr(request.user, "preferred_language", None)
        if language and language != translation.get_language():
            translation.activate(language)
            return translate_url(url, language)
        return url

    def get_logout_redirect_url(self, request):
        """The home page in the language being read: "/" would pick the browser's language."""
        return reverse("wagtail_serve", args=[""])
