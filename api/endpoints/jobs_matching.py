"""Match runs (HR) and the explanation of an applicant's result.

HR officers only (403 for anyone else); a round or run outside the caller's region scope is 404.
An applicant asking for the explanation of someone else's application gets 404.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from ninja import Field, Router, Schema, Status

from accounts.choices import Role
from accounts.scope import filter_in_scope, get_in_scope_or_404, has_scope
from api.auth import token_or_session
from api.schemas import ErrorOut
from jobs.choices import MatchRunKind
from jobs.models import Application, MatchRun, RecruitmentRound
from jobs.selectors.matching import application_explanation, run_in_scope_or_404
from jobs.services import matching as service

router = Router(tags=["jobs"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
# Refusals that are about the state of things (409), not about what was sent (422).
CONFLICTS = {
    "locked",
    "already_approved",
    "already_matched",
    "outdated",
    "not_ready",
    "simulation",
    "wrong_stage",
    "no_approved_match",
    "not_restartable",
}


def _require_hr(request) -> None:
    if not has_scope(request.user, role=Role.HR_OFFICER):
        raise PermissionDenied


def _refused(exc: service.MatchRunError):
    status = 409 if exc.code in CONFLICTS else 422
    return Status(status, {"code": exc.code, "message": exc.message})


class MatchRunIn(Schema):
    kind: MatchRunKind = MatchRunKind.MATCH
    seed: int | None = Field(None, ge=0, description="Lottery seed; empty: a fresh random one.")
    parameters: dict = Field(
        default_factory=dict,
        description="Simulation only: weight_*/bonus_* overrides (0-100) and extra_bonuses.",
    )
    joint_round_ids: list[int] = Field(
        default_factory=list, description="Other rounds of the same year for a joint match."
    )


class MatchRunOut(Schema):
    id: int
    kind: str
    status: str
    status_label: str
    progress: int
    progress_message: str
    error: str
    round_ids: list[int]
    seed: int
    parameters: dict
    input_hash: str
    statistics: dict
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    approved_at: datetime.datetime | None
    stale: bool


def _run_out(run: MatchRun) -> dict:
    return {
        "id": run.pk,
        "kind": run.kind,
        "status": run.status,
        "status_label": str(run.get_status_display()),
        "progress": run.progress,
        "progress_message": _(run.progress_message) if run.progress_message else "",
        "error": _(run.error) if run.error else "",
        "round_ids": sorted(run.rounds.values_list("pk", flat=True)),
        "seed": run.seed,
        "parameters": run.parameters,
        "input_hash": run.input_hash,
        "statistics": run.statistics,
        "created_at": run.created_at,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "approved_at": run.approved_at,
        "stale": service.match_run_is_stale(run),
    }


@router.post(
    "/hr/rounds/{round_id}/match-runs",
    response={201: MatchRunOut, **ERRORS},
    auth=token_or_session,
    summary="Start a match run (match, backfill or simulation) of a round",
)
def match_run_create(request, round_id: int, payload: MatchRunIn):
    _require_hr(request)
    round_ = get_in_scope_or_404(RecruitmentRound.objects.all(), request.user, pk=round_id)
    rounds = [round_]
    if payload.joint_round_ids:
        others = list(
            filter_in_scope(
                RecruitmentRound.objects.filter(pk__in=payload.joint_round_ids), request.user
            )
        )
        if len({r.pk for r in others}) != len(set(payload.joint_round_ids)):
            raise Http404
        rounds += others
    try:
        run = service.match_run_start(
            rounds=rounds,
            actor=request.user,
            kind=payload.kind,
            parameters=payload.parameters,
            seed=payload.seed,
            request=request,
        )
    except service.MatchRunError as exc:
        return _refused(exc)
    run.refresh_from_db()
    return Status(201, _run_out(run))


@router.get(
    "/hr/match-runs/{run_id}",
    response={200: MatchRunOut, **ERRORS},
    auth=token_or_session,
    summary="A match run: status, progress, statistics",
)
def match_run_detail(request, run_id: int):
    _require_hr(request)
    return _run_out(run_in_scope_or_404(request.user, run_id))


@router.post(
    "/hr/match-runs/{run_id}/approve",
    response={200: MatchRunOut, **ERRORS},
    auth=token_or_session,
    summary="Approve a finished match or backfill run: make the offers, e-mail everyone",
)
def match_run_approve(request, run_id: int):
    _require_hr(request)
    run = run_in_scope_or_404(request.user, run_id)
    try:
        run = service.match_run_approve(run=run, actor=request.user, request=request)
    except service.MatchRunError as exc:
        return _refused(exc)
    return _run_out(run)


class ChoiceExplanationOut(Schema):
    rank: int
    post_id: int
    post: str
    score: str
    cutoff: str
    full: bool
    eligible: bool
    matched: bool
    text: str


class ExplanationOut(Schema):
    run_id: int
    matched: bool
    matched_rank: int | None
    matched_post: str
    summary: str
    choices: list[ChoiceExplanationOut]


@router.get(
    "/applications/{application_id}/explanation",
    response={200: ExplanationOut, **ERRORS},
    auth=token_or_session,
    summary="Why my application got the post it got (from the latest approved run)",
)
def application_explanation_get(request, application_id: int):
    application = get_object_or_404(Application, pk=application_id, applicant=request.user)
    explanation = application_explanation(application)
    if explanation is None:
        return Status(
            404, {"code": "not_found", "message": _("There is no approved matching result yet.")}
        )
    return explanation
