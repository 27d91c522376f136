"""HR screens for rounds and posts, under /<lang>/jobs/hr/.

HR officers (within their scope) and administrators only: anonymous visitors are sent to sign
in, signed-in people without the role get 403, and a round outside the officer's scope is 404.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.choices import Role
from accounts.scope import get_in_scope_or_404, has_scope
from core.uploads import PendingUploads
from training.services.imports import MAX_FILE_BYTES

from .choices import ROUND_STAGE_ORDER, RoundStage
from .forms_rounds import (
    PostFieldsForm,
    PostForm,
    PostImportForm,
    RoundAdvanceForm,
    RoundForm,
    TownshipPostsForm,
    apply_service_errors,
)
from .models import Post, RecruitmentRound
from .selectors.rounds import round_hr_detail, rounds_for_hr
from .services.announcements import round_announcement_generate
from .services.post_import import (
    ImportFileError,
    ImportInvalid,
    post_import_commit,
    post_import_template_csv,
    post_import_validate,
)
from .services.posts import POST_EDIT_STAGES, post_create, post_update, posts_for_township
from .services.rounds import round_advance, round_create, round_next_stage, round_update

POST_UPLOADS = PendingUploads(
    folder="post-imports", session_key="jobs_post_import", max_bytes=MAX_FILE_BYTES
)


def hr_required(view):
    """Signed in, and an HR officer with a scope (or an administrator); otherwise 403."""

    @login_required
    @never_cache
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not (user.has_role(Role.ADMIN) or has_scope(user, role=Role.HR_OFFICER)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _round_or_404(request, round_id: int) -> RecruitmentRound:
    return get_in_scope_or_404(
        RecruitmentRound.objects.select_related("region", "locked_by_run"),
        request.user,
        role=Role.HR_OFFICER,
        pk=round_id,
    )


@hr_required
def hr_rounds(request):
    return render(
        request, "jobs/rounds/hr_rounds.html", {"rounds": rounds_for_hr(user=request.user)}
    )


@hr_required
def hr_round_create(request):
    form = RoundForm(request.POST or None, creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            round = round_create(
                actor=request.user, region=form.cleaned_data["region"], data=form.service_data()
            )
        except PermissionDenied:
            form.add_error("region", _("This region is outside your scope."))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The round was created as a draft."))
            return redirect("jobs:hr_round_detail", round.pk)
    return render(request, "jobs/rounds/hr_round_form.html", {"form": form, "round": None})


@hr_required
def hr_round_detail(request, round_id: int):
    round = _round_or_404(request, round_id)
    following = round_next_stage(round)
    stages = []
    done = True
    for stage in ROUND_STAGE_ORDER:
        current = stage == round.stage
        stages.append(
            {
                "value": stage,
                "label": RoundStage(stage).label,
                "current": current,
                "done": done and not current,
            }
        )
        if current:
            done = False
    context = {
        "round": round,
        "stages": stages,
        "next_stage": following,
        "next_stage_label": RoundStage(following).label if following else "",
        "advance_form": RoundAdvanceForm(initial={"to_stage": following}),
        "posts_editable": round.stage in POST_EDIT_STAGES and not round.locked_by_run_id,
        **round_hr_detail(round=round),
    }
    return render(request, "jobs/rounds/hr_round_detail.html", context)


@hr_required
def hr_round_edit(request, round_id: int):
    round = _round_or_404(request, round_id)
    form = RoundForm(request.POST or None, instance=round, creating=False)
    if request.method == "POST" and form.is_valid():
        # A fresh copy: the form's instance must not carry half-applied changes if refused.
        fresh = _round_or_404(request, round_id)
        try:
            round_update(round=fresh, actor=request.user, data=form.service_data())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The round was saved."))
            return redirect("jobs:hr_round_detail", round.pk)
    return render(request, "jobs/rounds/hr_round_form.html", {"form": form, "round": round})


@hr_required
def hr_round_advance(request, round_id: int):
    """GET: confirm; POST: move the round to its next stage."""
    round = _round_or_404(request, round_id)
    following = round_next_stage(round)
    if request.method == "POST":
        form = RoundAdvanceForm(request.POST)
        if form.is_valid():
            try:
                round_advance(
                    round=round,
                    actor=request.user,
                    to_stage=form.cleaned_data["to_stage"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(
                    request,
                    _("The round is now at “%(stage)s”.")
                    % {"stage": RoundStage(round.stage).label},
                )
        return redirect("jobs:hr_round_detail", round.pk)
    return render(
        request,
        "jobs/rounds/hr_round_advance.html",
        {
            "round": round,
            "next_stage": following,
            "next_stage_label": RoundStage(following).label if following else "",
            "form": RoundAdvanceForm(initial={"to_stage": following}),
        },
    )


@hr_required
def hr_post_create(request, round_id: int):
    round = _round_or_404(request, round_id)
    form = PostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {**form.service_data(), "village": form.cleaned_data["village"]}
        try:
            post = post_create(round=round, actor=request.user, data=data)
        except ValidationError as exc:
            apply_service_errors(form, exc, PostFieldsForm.SERVICE_FIELDS)
        else:
            messages.success(
                request, _("The post at %(village)s was added.") % {"village": post.village.name}
            )
            if "add_another" in request.POST:
                return redirect("jobs:hr_post_create", round.pk)
            return redirect("jobs:hr_round_detail", round.pk)
    return render(
        request, "jobs/rounds/hr_post_form.html", {"form": form, "round": round, "post": None}
    )


@hr_required
def hr_post_edit(request, post_id: int):
    post = get_in_scope_or_404(
        Post.objects.select_related("round__region", "village"),
        request.user,
        role=Role.HR_OFFICER,
        region_field="round__region",
        pk=post_id,
    )
    round = post.round
    form = PostForm(request.POST or None, editing=True, initial=PostFieldsForm.initial_from(post))
    if request.method == "POST" and form.is_valid():
        try:
            post_update(post=post, actor=request.user, data=form.service_data())
        except ValidationError as exc:
            apply_service_errors(form, exc, PostFieldsForm.SERVICE_FIELDS)
        else:
            messages.success(request, _("The post was saved."))
            return redirect("jobs:hr_round_detail", round.pk)
    return render(
        request, "jobs/rounds/hr_post_form.html", {"form": form, "round": round, "post": post}
    )


@hr_required
def hr_posts_for_township(request, round_id: int):
    round = _round_or_404(request, round_id)
    form = TownshipPostsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = posts_for_township(
                round=round,
                township=form.cleaned_data["township"],
                actor=request.user,
                data=form.service_data(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, PostFieldsForm.SERVICE_FIELDS)
        else:
            if created:
                messages.success(
                    request,
                    _("%(count)d posts were added in %(township)s.")
                    % {"count": len(created), "township": form.cleaned_data["township"].name},
                )
            else:
                messages.warning(
                    request,
                    _(
                        "No post was added: every village of %(township)s has an operator in post or a post in this round."
                    )
                    % {"township": form.cleaned_data["township"].name},
                )
            return redirect("jobs:hr_round_detail", round.pk)
    return render(request, "jobs/rounds/hr_posts_for_township.html", {"form": form, "round": round})


# --- import from a file -------------------------------------------------------------------------


def _import_context(round, form, report=None, *, filename="", token=None) -> dict:
    return {
        "round": round,
        "form": form,
        **POST_UPLOADS.context(report, filename=filename, token=token),
    }


@hr_required
def hr_post_import(request, round_id: int):
    """Upload: a dry run that lists every error by line, or a preview to confirm."""
    round = _round_or_404(request, round_id)
    form = PostImportForm(request.POST or None, request.FILES or None)
    context = _import_context(round, form)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(MAX_FILE_BYTES + 1)
        try:
            report = post_import_validate(round=round, actor=request.user, data=data)
        except ImportFileError as exc:
            form.add_error("file", exc.message)
        else:
            token = (
                POST_UPLOADS.store(request, data, upload.name, round=round.pk)
                if report.ok
                else None
            )
            context = _import_context(round, form, report, filename=upload.name, token=token)
    return render(request, "jobs/rounds/hr_post_import.html", context)


@hr_required
@require_POST
def hr_post_import_confirm(request, round_id: int):
    round = _round_or_404(request, round_id)
    token = request.POST.get("token", "")
    loaded = POST_UPLOADS.load(request, token, round=round.pk)
    if loaded is None:
        messages.error(
            request, _("That upload has expired or was already imported. Upload the file again.")
        )
        return redirect("jobs:hr_post_import", round.pk)
    data, filename = loaded
    POST_UPLOADS.forget(request, token)
    try:
        created = post_import_commit(round=round, actor=request.user, data=data)
    except (ImportFileError, ValidationError) as exc:
        messages.error(request, getattr(exc, "message", None) or " ".join(exc.messages))
        return redirect("jobs:hr_post_import", round.pk)
    except ImportInvalid as exc:
        # Something changed since the dry run (another officer added a post): show what.
        context = _import_context(round, PostImportForm(), exc.report, filename=filename)
        return render(request, "jobs/rounds/hr_post_import.html", context)
    messages.success(request, _("%(count)d posts were imported.") % {"count": len(created)})
    return redirect("jobs:hr_round_detail", round.pk)


@hr_required
@require_GET
def hr_post_import_template(request, round_id: int):
    _round_or_404(request, round_id)
    response = HttpResponse(post_import_template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="post-import-template.csv"'
    return response


@hr_required
@require_POST
def hr_announcement_generate(request, round_id: int):
    round = _round_or_404(request, round_id)
    try:
        page = round_announcement_generate(
            round=round, actor=request.user, replace=request.POST.get("replace") == "1"
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _(
                "The announcement “%(title)s” was generated and published. Editors can change its wording in the content admin."
            )
            % {"title": page.title},
        )
    return redirect("jobs:hr_round_detail", round.pk)
