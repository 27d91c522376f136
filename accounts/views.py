from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import translate_url
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wagtail.models import APIToken

from regions.models import Region
from regions.selectors import region_ancestors

from . import selectors, services
from .forms import ActivateForm, ApiTokenForm, CadreInviteForm, ProfileForm
from .models import User
from .scope import get_in_scope_or_404, staff_scope_role


@login_required
def dashboard(request):
    return render(request, "accounts/dashboard.html", {"grants": request.user.role_grants})


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = services.user_profile_update(
            user=request.user, **{name: form.cleaned_data[name] for name in form.changed_data}
        )
        messages.success(request, _("Your profile has been saved."))
        return redirect(translate_url(request.path, user.preferred_language))
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def api_tokens(request):
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = services.api_token_create(
            user=request.user, name=form.cleaned_data["name"]
        )
        form = ApiTokenForm()
    response = render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "tokens": selectors.user_api_tokens(user=request.user),
            "new_token": new_token,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def api_token_revoke(request, token_id: int):
    try:
        services.api_token_revoke(user=request.user, token_id=token_id)
    except APIToken.DoesNotExist as exc:
        raise Http404 from exc
    messages.success(
        request, _("The token has been revoked. Programs using it can no longer sign in.")
    )
    return redirect("accounts:api_tokens")


@login_required
def hr_overview(request, code: str | None = None):
    role = staff_scope_role(request.user)
    if role is None:
        raise Http404
    if code is None:
        roots = selectors.scope_roots(user=request.user, role=role)
        if len(roots) == 1:
            return redirect("accounts:hr_region", code=roots[0].code)
        return render(request, "accounts/hr_scopes.html", {"roots": roots})
    region = get_in_scope_or_404(
        Region.objects.all(), request.user, role=role, region_field="", code=code
    )
    return render(
        request,
        "accounts/hr_region.html",
        {
            "region": region,
            "ancestors": region_ancestors(region=region),
            "rows": selectors.region_people_overview(region=region),
        },
    )


@login_required
def cadre_invite(request):
    if staff_scope_role(request.user) is None:
        raise Http404
    form = CadreInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.cadre_invite(
                invited_by=request.user,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                region=form.cleaned_data["region"],
                base_url=request.build_absolute_uri("/")[:-1],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(
                request, _("An invitation has been sent to %(email)s.") % {"email": user.email}
            )
            return redirect("accounts:cadre_invite")
    return render(request, "accounts/cadre_invite.html", {"form": form})


def activate(request, uidb64: str, token: str):
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "accounts/activate_invalid.html", status=400)
    form = ActivateForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.cadre_activate(user=user, password=form.cleaned_data["password1"])
        messages.success(
            request, _("Your account is active. Sign in with your e-mail address and new password.")
        )
        return redirect("account_login")
    return render(request, "accounts/activate.html", {"form": form, "invited_user": user})
