"""Approval of a large run in the background (bulk offers, events, audit, e-mails in batches),
and the fast paths of a run checked against the reference rules: eligibility on tuples against
`jobs.services.eligibility`, priorities in thousandths against `priority_score`, and both
explanation formats."""

import datetime
import random
from decimal import Decimal

from django.core import mail
from django.utils import timezone

import pytest

from accounts.models import AuditEvent
from jobs.choices import (
    ApplicationStatus,
    EducationLevel,
    HometownRestriction,
    MatchRunStatus,
    OfferStatus,
)
from jobs.models import Application, ApplicationEvent, MatchRun, Offer, RecruitmentRound
from jobs.selectors.matching import explanation_entries
from jobs.services.eligibility import _check_post
from jobs.services.matching import (
    ApplicantFacts,
    ExtraBonus,
    MatchRunError,
    match_run_approve,
    match_run_restart,
    policy_for,
    post_facts,
    priority_score,
)
from jobs.services.matching import approval as approval_module
from jobs.services.matching.approval import ERROR_APPROVAL_STALE
from jobs.services.matching.pairs import applicant_rules, pair_eligible, post_rules, regions_index
from jobs.services.matching.scoring import _Scorer
from regions.models import Region
from tests.jobs.builders import TIANHE, villages_of

from .conftest import apply, run_now


@pytest.fixture
def scenario(round_, posts):
    p1, p2, p3, _p4 = posts
    return {
        "y": apply(round_, [p1, p2], written=82.5, interview=82.5),
        "x": apply(round_, [p1, p2], written=80.1, interview=80.1),
        "z": apply(round_, [p2], written=70, interview=70),
        "w": apply(round_, [p3, p1], written=60, interview=60),
    }


@pytest.fixture
def background(monkeypatch):
    """Every run is 'large': approval goes to the background task."""
    monkeypatch.setattr(approval_module, "APPROVE_INLINE_MAX", 0)


def test_large_run_is_approved_in_the_background(
    round_, posts, hr, scenario, background, django_capture_on_commit_callbacks
):
    run = run_now(django_capture_on_commit_callbacks, rounds=[round_], actor=hr, seed=1)
    mail.outbox.clear()
    scenario["z"].applicant.preferred_language = "en"
    scenario["z"].applicant.save()
    audits_before = AuditEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queued = match_run_approve(run=run, actor=hr)
    # Nothing is applied in the request: the run is being approved and the round is locked.
    assert queued.status == MatchRunStatus.APPROVING
    assert RecruitmentRound.objects.get(pk=round_.pk).locked_by_run_id == run.pk
    assert not Offer.objects.exists()
    with pytest.raises(MatchRunError) as refused:
        match_run_approve(run=queued, actor=hr)
    assert refused.value.code == "not_ready"

    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    run.refresh_from_db()
    assert run.status == MatchRunStatus.APPROVED and run.approved_by == hr and run.approved_at
    assert RecruitmentRound.objects.get(pk=round_.pk).locked_by_run_id is None
    offers = {o.application_id: o for o in Offer.objects.filter(match_run=run)}
    assert set(offers) == {scenario[k].pk for k in ("y", "x", "w")}
    assert {o.status for o in offers.values()} == {OfferStatus.PENDING}
    for key, status in (("y", "offered"), ("x", "offered"), ("w", "offered"), ("z", "unmatched")):
        application = Application.objects.get(pk=scenario[key].pk)
        assert application.status == status
        event = ApplicationEvent.objects.get(application=application)
        assert (event.from_status, event.to_status, event.actor) == ("scored", status, hr)
        assert AuditEvent.objects.filter(
            object_type="jobs.application",
            object_id=str(application.pk),
            subject_user_id=application.applicant_id,
            detail={"from": "scored", "to": status},
        ).exists()
    assert AuditEvent.objects.count() == audits_before + 4 + 2  # 4 applications; start + end
    # Everyone hears their result, in their language; the reason names the village.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        scenario[k].applicant.email for k in scenario
    )
    z_mail = next(m for m in mail.outbox if m.to == [scenario["z"].applicant.email])
    assert "Not matched" in z_mail.subject or "Not matched" in z_mail.body
    y_event = ApplicationEvent.objects.get(application=scenario["y"])
    assert posts[0].village.name in y_event.reason
    days = (offers[scenario["y"].pk].reply_deadline - timezone.now()).total_seconds() / 86400
    assert round_.offer_reply_days - 0.01 < days < round_.offer_reply_days + 0.01


def test_background_approval_refused_when_an_application_changed_meanwhile(
    round_, posts, hr, scenario, background, django_capture_on_commit_callbacks
):
    run = run_now(django_capture_on_commit_callbacks, rounds=[round_], actor=hr, seed=1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        match_run_approve(run=run, actor=hr)
    Application.objects.filter(pk=scenario["x"].pk).update(status=ApplicationStatus.WITHDRAWN)
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    run.refresh_from_db()
    assert run.status == MatchRunStatus.SUCCEEDED
    assert " 1 " in run.error  # "1 applications changed …", in the approver's language
    assert not Offer.objects.exists() and not ApplicationEvent.objects.exists()
    assert not mail.outbox
    assert RecruitmentRound.objects.get(pk=round_.pk).locked_by_run_id is None


def test_stale_approval_can_be_approved_again(
    round_, posts, hr, scenario, background, django_capture_on_commit_callbacks
):
    run = run_now(django_capture_on_commit_callbacks, rounds=[round_], actor=hr, seed=1)
    with django_capture_on_commit_callbacks(execute=False):
        match_run_approve(run=run, actor=hr)  # the worker never runs it
    with pytest.raises(MatchRunError):
        match_run_restart(run=MatchRun.objects.get(pk=run.pk), actor=hr)  # not stale yet
    MatchRun.objects.filter(pk=run.pk).update(
        progress_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    run = match_run_restart(run=MatchRun.objects.get(pk=run.pk), actor=hr)
    assert run.status == MatchRunStatus.SUCCEEDED and run.error == ERROR_APPROVAL_STALE
    assert RecruitmentRound.objects.get(pk=round_.pk).locked_by_run_id is None
    with django_capture_on_commit_callbacks(execute=True):
        match_run_approve(run=run, actor=hr)
    run.refresh_from_db()
    assert run.status == MatchRunStatus.APPROVED
    assert Offer.objects.filter(match_run=run).count() == 3


def test_background_approval_outside_scope_is_404(
    round_, posts, hr_tianhe, hr, scenario, background, django_capture_on_commit_callbacks
):
    from django.http import Http404

    run = run_now(django_capture_on_commit_callbacks, rounds=[round_], actor=hr, seed=1)
    with pytest.raises(Http404):
        match_run_approve(run=run, actor=hr_tianhe)
    assert MatchRun.objects.get(pk=run.pk).status == MatchRunStatus.SUCCEEDED


# --- fast paths against the reference rules -------------------------------------------------


class _Obj:
    def __init__(self, **kw):
        self.__dict__.update(kw)


class _Majors:
    def __init__(self, items):
        self.items = items

    def all(self):
        return self.items


def test_pair_eligible_agrees_with_the_eligibility_service(regions):
    """400 random applicant × post pairs: the tuple check and helper C's rules agree."""
    rng = random.Random(5)
    villages = list(villages_of("441403")[:6]) + list(villages_of(TIANHE)[:3])
    county = Region.objects.get(code="441403")
    homes = [*villages, county, None]
    info = regions_index({r.pk for r in homes if r is not None})
    levels = [*(level.value for level in EducationLevel), ""]
    dialects = ["hakka", "cantonese", "teochew"]
    reference = datetime.date(2027, 6, 30)
    for _ in range(400):
        village = rng.choice(villages)
        majors = rng.sample([1, 2, 3, 4], rng.randrange(0, 3))
        post = _Obj(
            pk=1,
            min_education=rng.choice(levels[:-1]),
            full_time_required=rng.random() < 0.5,
            majors=_Majors([_Obj(pk=m, name=str(m)) for m in majors]),
            max_age_by_level=rng.choice([{}, None, {"bachelor": 28, "master": ""}, {"master": 30}]),
            hometown_restriction=rng.choice(list(HometownRestriction.values)),
            village=village,
            dialects=rng.sample(dialects, rng.randrange(0, 2)),
        )
        home = rng.choice(homes)
        profile = _Obj(
            education_level=rng.choice(levels),
            full_time=rng.random() < 0.7,
            major_id=rng.choice([None, 1, 2, 5]),
            major=_Obj(name="x"),
            birth_date=datetime.date(rng.randrange(1993, 2004), rng.randrange(1, 13), 15),
            hometown=home or _Obj(path="", name=""),
            dialects=rng.sample(dialects, rng.randrange(0, 3)),
        )
        failures, hometown = _check_post(profile, post, reference)
        expected = not failures and hometown is None
        got = pair_eligible(
            applicant_rules(
                education_level=profile.education_level,
                full_time=profile.full_time,
                major_id=profile.major_id,
                birth_date=profile.birth_date,
                hometown=info.get(home.pk) if home else None,
                dialects=profile.dialects,
            ),
            post_rules(
                min_education=post.min_education,
                full_time_required=post.full_time_required,
                majors=majors,
                max_age_by_level=post.max_age_by_level,
                restriction=post.hometown_restriction,
                village=info[village.pk],
                dialects=post.dialects,
            ),
            reference,
        )
        assert got == expected, (vars(post), vars(profile))


@pytest.mark.parametrize("village_bonus", ["5", "0.0005"])  # thousandths exact, and not
def test_scores_in_thousandths_equal_priority_score(round_, village_bonus):
    round_.bonus_home_village = Decimal(village_bonus)
    round_.bonus_under_served = Decimal("0.25")
    policy = policy_for(
        round_,
        {"extra_bonuses": [{"name": "客家话", "points": 0.5, "rule": "post_dialect"}]},
    )
    policy = type(policy)(
        **{
            **policy.__dict__,
            "extra_bonuses": (
                *policy.extra_bonuses,
                ExtraBonus("党员", Decimal("1.5"), "political_status", frozenset({"cpc_member"})),
            ),
        }
    )
    scorer = _Scorer.of(policy)
    assert scorer.exact == (village_bonus == "5")
    rng = random.Random(7)
    village = "/44/4414/441403/441403100/441403100001/"
    for _ in range(200):
        facts = ApplicantFacts(
            written=Decimal(rng.randrange(0, 10001)) / 100,
            interview=Decimal(rng.randrange(0, 10001)) / 100,
            hometown_path=rng.choice(
                [village, "/44/4414/441403/441403100/441403100009/", "/44/4401/440106/", ""]
            ),
            political_status=rng.choice(["cpc_member", "none"]),
            dialects=tuple(rng.sample(["hakka", "cantonese"], rng.randrange(0, 2))),
        )
        post = post_facts(
            village_path=village,
            under_served_paths={"/44/4414/"} if rng.random() < 0.5 else set(),
            dialects=["hakka"],
        )
        expected = priority_score(policy=policy, applicant=facts, post=post)
        dialects = frozenset(facts.dialects)
        fixed = scorer.applicant_part(
            facts.written, facts.interview, dialects, facts.political_status, "", "", False
        )
        milli = scorer.score(fixed, scorer.fixed_milli(fixed), facts.hometown_path, post, dialects)
        assert Decimal(milli).scaleb(-3) == expected


def test_run_scores_match_priority_score(round_, posts, hr, django_capture_on_commit_callbacks):
    """End to end, through the thousandths path: the stored score is `priority_score`'s."""
    home = villages_of("441403")[0]  # posts[0]'s village: the village bonus
    a = apply(round_, [posts[0], posts[1]], written=77.77, interview=66.66, hometown=home)
    run = run_now(django_capture_on_commit_callbacks, rounds=[round_], actor=hr, seed=3)
    assert run.status == MatchRunStatus.SUCCEEDED and run.statistics["exact_thousandths"]
    entries = explanation_entries(run.results.get(application=a).explanation)
    policy = policy_for(round_)
    facts = ApplicantFacts(
        written=Decimal("77.77"), interview=Decimal("66.66"), hometown_path=home.path
    )
    for entry, post in zip(entries, posts[:2], strict=True):
        expected = priority_score(
            policy=policy, applicant=facts, post=post_facts(village_path=post.village.path)
        )
        assert entry["score"] == expected


def test_old_explanation_format_still_reads():
    old = [
        {"post": 3, "rank": 1, "score": "80.100", "cutoff": "82.500", "full": True,
         "eligible": True, "matched": False},
        {"post": 4, "rank": 2, "score": None, "cutoff": None, "full": False,
         "eligible": False, "matched": False},
    ]  # fmt: skip
    new = [[3, 1, 80100, 82500, 3], [4, 2, None, None, 0]]
    assert explanation_entries(old) == explanation_entries(new)
    assert explanation_entries(new)[0]["cutoff"] == Decimal("82.500")
