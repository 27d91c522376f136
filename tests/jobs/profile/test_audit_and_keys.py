"""The audit log only grows (old records leave through the purge), and key rotation."""

import datetime
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

import pytest
from cryptography.fernet import Fernet

from accounts.audit import audit_log_purge, audit_record
from accounts.choices import AuditAction
from accounts.models import AuditEvent
from jobs.crypto import personal_decrypt, personal_hash
from jobs.models import GraduateProfile
from jobs.tasks import purge_audit_log
from tests.jobs.builders import make_graduate


def at_age(days: int) -> AuditEvent:
    return AuditEvent.objects.create(
        action=AuditAction.EXPORT, at=timezone.now() - datetime.timedelta(days=days)
    )


def test_audit_records_cannot_be_changed_or_deleted(db):
    event = audit_record(action=AuditAction.EXPORT, detail={"rows": 3})
    event.detail = {"rows": 0}
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).update(detail={})
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()
    with pytest.raises(TypeError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).detail == {"rows": 3}


def test_purge_keeps_at_least_180_days_whatever_the_setting(db, settings):
    settings.AUDIT_RETENTION_DAYS = 30
    young, edge, old = at_age(31), at_age(179), at_age(181)
    assert audit_log_purge() == 1
    assert set(AuditEvent.objects.values_list("pk", flat=True)) == {young.pk, edge.pk}
    assert not AuditEvent.objects.filter(pk=old.pk).exists()


def test_purge_honours_a_longer_setting_through_command_and_task(db, settings):
    settings.AUDIT_RETENTION_DAYS = 365
    kept, gone = at_age(200), at_age(400)
    out = StringIO()
    call_command("purge_audit_log", stdout=out)
    assert "1 audit records older than 365 days" in out.getvalue()
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [kept.pk]
    assert gone.pk not in AuditEvent.objects.values_list("pk", flat=True)
    at_age(500)
    assert purge_audit_log.delay().get() == 1


def test_rotation_moves_every_number_to_the_new_key(regions, settings):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.PERSONAL_DATA_KEYS = [old_key]
    users = [make_graduate() for _ in range(3)]
    numbers = {u.pk: personal_decrypt(u.graduate_profile.id_number_encrypted) for u in users}
    hashes = dict(GraduateProfile.objects.values_list("user_id", "id_number_hash"))

    settings.PERSONAL_DATA_KEYS = [new_key, old_key]
    out = StringIO()
    call_command("rotate_personal_data_keys", "--batch-size", "2", stdout=out)
    assert "3 ID numbers re-encrypted" in out.getvalue()
    # Idempotent: a second run finds nothing to do.
    out = StringIO()
    call_command("rotate_personal_data_keys", stdout=out)
    assert "0 ID numbers re-encrypted" in out.getvalue()
    assert "3 were already under it" in out.getvalue()

    settings.PERSONAL_DATA_KEYS = [new_key]  # the old key is removed
    for profile in GraduateProfile.objects.all():
        number = personal_decrypt(profile.id_number_encrypted)
        assert number == numbers[profile.user_id]
        # The hash key never rotates: uniqueness still holds across the rotation.
        assert profile.id_number_hash == hashes[profile.user_id] == personal_hash(number)
    Fernet(new_key.encode()).decrypt(GraduateProfile.objects.first().id_number_encrypted.encode())
