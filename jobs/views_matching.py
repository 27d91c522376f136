"""HR pages of match runs: start, follow, preview, approve, restart, compare.

For HR officers within their region scope (a run is visible when every round of it is);
anyone else gets a 404, as on every HR page.
"""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.scope import filter_in_scope, get_in_scope_or_404, has_scope

from .choices import MatchRunKind, MatchRunStatus
from .models import MatchRun, Post, RecruitmentRound
from .selectors.matching import (
    post_label,
    run_cutoffs,
    run_in_scope_or_404,
    run_results,
    runs_for_round,
)
from .services import matching as service


def _require_hr(user) -> None:
    if not has_scope(user):
        raise Http404


class MatchRunStartForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of run"), choices=MatchRunKind.choices)
    seed = forms.IntegerField(
        label=gettext_lazy("Lottery seed"),
        required=False,
        min_value=0,
        help_text=gettext_lazy(
            "Leave empty for a fresh random seed; the seed used is recorded with the run."
        ),
    )
    joint_rounds = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Match jointly with these rounds"),
        queryset=RecruitmentRound.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "A joint match places each applicant at most once across all the rounds chosen."
        ),
    )
    extra_bonuses = forms.CharField(
        label=gettext_lazy("Other bonuses (JSON, simulation only)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            'For example [{"name": "党员", "points": 1, "rule": "political_status", '
            '"value": "cpc_member"}]. Empty: the round\'s own.'
        ),
    )

    def __init__(self, *args, round_, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round_
        for name in service.PRIORITY_FIELDS:
            model_field = RecruitmentRound._meta.get_field(name)
            self.fields[name] = forms.DecimalField(
                label=model_field.verbose_name,
                required=False,
                min_value=0,
                max_value=100,
                decimal_places=2,
                help_text=_("Simulation only. The round's value: %(value)s")
                % {"value": getattr(round_, name)},
            )
        self.fields["joint_rounds"].queryset = filter_in_scope(
            RecruitmentRound.objects.filter(year=round_.year).exclude(pk=round_.pk), user
        ).select_related("region")

    def clean_extra_bonuses(self):
        text = self.cleaned_data["extra_bonuses"].strip()
        if not text:
            return None
        try:
            return json.loads(text)
        except ValueError:
            raise forms.ValidationError(_("This is not valid JSON.")) from None

    def parameters(self) -> dict:
        data = self.cleaned_data
        params = {n: str(data[n]) for n in service.PRIORITY_FIELDS if data.get(n) is not None}
        if data.get("extra_bonuses") is not None:
            params["extra_bonuses"] = data["extra_bonuses"]
        return params


@login_required
def match_runs(request, round_id: int):
    """The runs of a round, and the form that starts one."""
    _require_hr(request.user)
    round_ = get_in_scope_or_404(
        RecruitmentRound.objects.select_related("region", "locked_by_run"),
        request.user,
        pk=round_id,
    )
    form = MatchRunStartForm(request.POST or None, round_=round_, user=request.user)
    if request.method == "POST" and form.is_valid():
        rounds = [round_, *form.cleaned_data["joint_rounds"]]
        try:
            run = service.match_run_start(
                rounds=rounds,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                parameters=form.parameters(),
                seed=form.cleaned_data["seed"],
                request=request,
            )
        except service.MatchRunError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Match run #%(run)s has started.") % {"run": run.pk})
            return redirect("jobs:hr_match_run", run.pk)
    return render(
        request,
        "jobs/matching/runs.html",
        {"round": round_, "runs": runs_for_round(round_)[:100], "form": form},
    )


def _status_payload(run: MatchRun) -> dict:
    return {
        "id": run.pk,
        "status": run.status,
        "status_label": run.get_status_display(),
        "progress": run.progress,
        "message": _(run.progress_message) if run.progress_message else "",
        "error": _(run.error) if run.error else "",
        "finished": run.status
        in (MatchRunStatus.SUCCEEDED, MatchRunStatus.APPROVED, MatchRunStatus.FAILED),
        "stale": service.match_run_is_stale(run),
    }


@login_required
def match_run(request, run_id: int):
    """A run: progress while it works; then statistics, results and cut-offs, and approval."""
    _require_hr(request.user)
    run = run_in_scope_or_404(request.user, run_id)
    context = {
        "run": run,
        "rounds": list(run.rounds.select_related("region")),
        "status": _status_payload(run),
        "can_approve": run.status == MatchRunStatus.SUCCEEDED
        and run.kind != MatchRunKind.SIMULATION,
        "can_restart": run.status == MatchRunStatus.FAILED or service.match_run_is_stale(run),
        "other_runs": [],
    }
    if run.status in (MatchRunStatus.SUCCEEDED, MatchRunStatus.APPROVING, MatchRunStatus.APPROVED):
        context["results"] = Paginator(run_results(run), 50).get_page(request.GET.get("page"))
        context["cutoffs"] = Paginator(run_cutoffs(run), 100).get_page(request.GET.get("cpage"))
        context["statistics"] = run.statistics
        context["other_runs"] = [
            r
            for r in runs_for_round(context["rounds"][0])[:20]
            if r.pk != run.pk and r.status in (MatchRunStatus.SUCCEEDED, MatchRunStatus.APPROVED)
        ]
    return render(request, "jobs/matching/run.html", context)


@never_cache
@login_required
def match_run_status(request, run_id: int):
    """The small JSON the progress bar polls every 2 s."""
    _require_hr(request.user)
    run = run_in_scope_or_404(request.user, run_id)
    return JsonResponse(_status_payload(run))


@require_POST
@login_required
def match_run_approve(request, run_id: int):
    _require_hr(request.user)
    run = run_in_scope_or_404(request.user, run_id)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm the approval."))
        return redirect("jobs:hr_match_run", run.pk)
    try:
        run = service.match_run_approve(run=run, actor=request.user, request=request)
    except service.MatchRunError as exc:
        messages.error(request, exc.message)
    else:
        if run.status == MatchRunStatus.APPROVING:
            messages.success(
                request,
                _(
                    "Run #%(run)s approved: the offers are being made in the background; this "
                    "page shows the progress."
                )
                % {"run": run.pk},
            )
        else:
            messages.success(
                request,
                _("Run #%(run)s approved: offers made and every applicant e-mailed.")
                % {"run": run.pk},
            )
    return redirect("jobs:hr_match_run", run.pk)


@require_POST
@login_required
def match_run_restart(request, run_id: int):
    _require_hr(request.user)
    run = run_in_scope_or_404(request.user, run_id)
    try:
        service.match_run_restart(run=run, actor=request.user, request=request)
    except service.MatchRunError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Run #%(run)s has started again.") % {"run": run.pk})
    return redirect("jobs:hr_match_run", run.pk)


@login_required
def match_compare(request):
    """Two runs side by side (?a=&b=): fill rate by county, home-county share, cut-offs."""
    _require_hr(request.user)
    try:
        a_id, b_id = int(request.GET.get("a", "")), int(request.GET.get("b", ""))
    except ValueError:
        raise Http404 from None
    a = run_in_scope_or_404(request.user, a_id)
    b = run_in_scope_or_404(request.user, b_id)
    comparison = service.match_runs_compare(a=a, b=b)
    cutoffs = Paginator(comparison["cutoffs"], 100).get_page(request.GET.get("page"))
    labels = {
        p.pk: post_label(p)
        for p in Post.objects.filter(pk__in=[c["post"] for c in cutoffs]).select_related(
            "village__parent"
        )
    }
    for row in cutoffs:
        row["label"] = labels.get(row["post"], row["post"])
    return render(
        request,
        "jobs/matching/compare.html",
        {"a": a, "b": b, "comparison": comparison, "cutoffs": cutoffs},
    )
