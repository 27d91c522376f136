"""Applying an approved run in bulk: offers, statuses, timeline events, audit records, and
e-mails in batches after commit — what `offer_create` and `application_transition` do for one
application, for 100,000."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts.audit import client_ip
from accounts.choices import AuditAction
from accounts.models import AuditEvent

from ...choices import ApplicationStatus, OfferStatus
from ...models import (
    Application,
    ApplicationEvent,
    MatchRun,
    Offer,
    Post,
)
from ..offers import R_OFFERED
from ..status import in_language
from .common import P_APPROVING

BULK = 2000
EMAIL_BATCH = 500

# Timeline reasons, in the applicant's language.
R_ELSEWHERE = gettext_noop("Matched to a post of another round of the joint match.")
R_UNMATCHED = gettext_noop(
    "No place at any of your choices for your score in match run #%(run)s; "
    "the cut-offs are on your application page."
)


def _apply(*, run: MatchRun, rows, rounds, actor, request=None, reporter=None) -> dict:
    """Offers, status changes, timeline events, audit records; e-mails after commit."""
    now = timezone.now()
    reply_days = {r.pk: r.offer_reply_days for r in rounds}
    region_of = {r.pk: r.region_id for r in rounds}
    matched_people = {r[3] for r in rows if r[1]}
    villages = dict(
        Post.objects.filter(pk__in={r[1] for r in rows if r[1]}).values_list("pk", "village__name")
    )
    offers: list[Offer] = []
    # (application id, from status, to status, applicant id, round id, reason, notify)
    changes: list[tuple] = []
    for app_id, post_id, status, user_id, round_id, language in rows:
        if post_id:
            deadline = now + datetime.timedelta(days=reply_days[round_id])
            offers.append(
                Offer(
                    application_id=app_id,
                    post_id=post_id,
                    match_run=run,
                    status=OfferStatus.PENDING,
                    created_at=now,
                    reply_deadline=deadline,
                )
            )
            reason = in_language(
                language,
                R_OFFERED,
                {
                    "village": villages[post_id],
                    "deadline": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M"),
                },
            )
            changes.append(
                (app_id, status, ApplicationStatus.OFFERED, user_id, round_id, reason, True)
            )
        elif user_id in matched_people:
            reason = in_language(language, R_ELSEWHERE)
            changes.append(
                (app_id, status, ApplicationStatus.UNMATCHED, user_id, round_id, reason, False)
            )
        elif status != ApplicationStatus.UNMATCHED:
            reason = in_language(
                language,
                R_UNMATCHED,
                {"run": run.pk},
            )
            changes.append(
                (app_id, status, ApplicationStatus.UNMATCHED, user_id, round_id, reason, True)
            )
    total = max(1, len(offers) + len(changes))
    done = 0
    for start in range(0, len(offers), BULK):
        Offer.objects.bulk_create(offers[start : start + BULK])
        done += len(offers[start : start + BULK])
        if reporter:
            reporter.report(5 + 45 * done // total, P_APPROVING)
    by_status: dict[str, list[int]] = defaultdict(list)
    for change in changes:
        by_status[change[2]].append(change[0])
    for to_status, ids in by_status.items():
        for start in range(0, len(ids), BULK):
            Application.objects.filter(pk__in=ids[start : start + BULK]).update(
                status=to_status, updated_at=now
            )
    actor_label = actor.email if actor is not None else "system"
    ip = client_ip(request)
    agent = request.META.get("HTTP_USER_AGENT", "")[:256] if request is not None else ""
    notify_ids: list[int] = []
    for start in range(0, len(changes), BULK):
        chunk = changes[start : start + BULK]
        events = ApplicationEvent.objects.bulk_create(
            [
                ApplicationEvent(
                    application_id=app_id,
                    from_status=from_status,
                    to_status=to_status,
                    actor=actor,
                    reason=reason,
                    at=now,
                )
                for app_id, from_status, to_status, _u, _r, reason, _n in chunk
            ]
        )
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(
                    actor=actor,
                    actor_label=actor_label,
                    action=AuditAction.STATUS_CHANGE,
                    object_type=Application._meta.label_lower,
                    object_id=str(app_id),
                    subject_user_id=user_id,
                    region_id=region_of[round_id],
                    ip_address=ip,
                    user_agent=agent,
                    detail={"from": from_status, "to": to_status},
                    at=now,
                )
                for app_id, from_status, to_status, user_id, round_id, _reason, _n in chunk
            ]
        )
        if any(event.pk is None for event in events):  # a database without RETURNING
            ids = dict(
                ApplicationEvent.objects.filter(
                    application_id__in=[c[0] for c in chunk], at=now
                ).values_list("application_id", "pk")
            )
            notify_ids += [ids[c[0]] for c in chunk if c[6]]
        else:
            notify_ids += [event.pk for event, c in zip(events, chunk, strict=True) if c[6]]
        done += len(chunk)
        if reporter:
            reporter.report(5 + 90 * done // total, P_APPROVING)
    _emails_after_commit(notify_ids)
    return {
        "offers": len(offers),
        "unmatched": sum(1 for c in changes if c[2] == ApplicationStatus.UNMATCHED and c[6]),
    }


def _emails_after_commit(event_ids: list[int]) -> None:
    from ...tasks import application_status_emails

    for start in range(0, len(event_ids), EMAIL_BATCH):
        batch = event_ids[start : start + EMAIL_BATCH]
        transaction.on_commit(lambda batch=batch: application_status_emails.delay(batch))


def application_status_emails_send(*, event_ids: list[int]) -> int:
    """E-mail each event's applicant about their application's new status (their language)."""
    from ..status import application_status_email

    events = ApplicationEvent.objects.filter(pk__in=event_ids).select_related(
        "application__applicant", "application__round"
    )
    sent = 0
    for event in events:
        application_status_email(application=event.application, event=event)
        sent += 1
    return sent
