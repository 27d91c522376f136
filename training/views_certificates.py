"""The public verification page behind each certificate's QR code, and revocation by editors."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from .services.certificates import (
    CODE_LENGTH,
    REASON_MAX_LENGTH,
    certificate_can_revoke,
    certificate_find,
    certificate_public,
    certificate_revoke,
    code_normalise,
)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Verification code"),
        max_length=32,
        help_text=gettext_lazy("The 12 letters and digits printed on the certificate."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Shown to anyone who checks the certificate."),
        error_messages={"required": gettext_lazy("Give the reason for revoking the certificate.")},
    )


def verify_lookup(request):
    """A form to type the code printed on a paper certificate."""
    form = CodeForm(request.GET or None)
    if form.is_valid():
        code = code_normalise(form.cleaned_data["code"])
        if code:
            return redirect("training_public:verify", code=code)
    return render(
        request, "training/certificates/lookup.html", {"form": form, "code_length": CODE_LENGTH}
    )


@never_cache  # the status changes when a certificate is revoked: never serve a stored copy
def verify(request, code: str):
    certificate = certificate_find(code=code)
    if certificate is None:
        return render(
            request,
            "training/certificates/not_found.html",
            {"code": code[:32], "form": CodeForm(initial={"code": code[:32]})},
            status=404,
        )
    if code != certificate.code:  # typed in lower case or with dashes: show the one true address
        return redirect("training_public:verify", code=certificate.code)
    return render(
        request,
        "training/certificates/verify.html",
        {
            "certificate": certificate_public(certificate=certificate),
            "can_revoke": certificate_can_revoke(user=request.user, certificate=certificate),
        },
    )


@never_cache
@login_required
def revoke(request, code: str):
    certificate = certificate_find(code=code)
    # Someone who may not revoke it learns nothing, not even that the code exists.
    if certificate is None or not certificate_can_revoke(
        user=request.user, certificate=certificate
    ):
        raise Http404
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and certificate.is_valid and form.is_valid():
        try:
            certificate_revoke(
                certificate=certificate, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                for error in exc.messages:
                    form.add_error(None, error)
        else:
            messages.success(
                request, _("The certificate is revoked. Its verification page now says so.")
            )
            return redirect("training_public:verify", code=certificate.code)
    return render(
        request,
        "training/certificates/revoke.html",
        {
            "certificate": certificate,
            "public": certificate_public(certificate=certificate),
            "form": form,
        },
    )
