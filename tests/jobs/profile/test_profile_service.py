"""graduate_profile_save: the rules every profile write obeys (form and API alike)."""

import datetime
from unittest import mock

from django.core.exceptions import ValidationError

import pytest

from accounts.choices import AuditAction, Role
from accounts.models import AuditEvent
from jobs.choices import ConsentKind
from jobs.crypto import personal_decrypt, personal_hash
from jobs.idnumber import id_number_make
from jobs.models import ConsentRecord, GraduateProfile
from jobs.services.profiles import graduate_profile_save, phone_normalize
from tests.factories import user_with_role
from tests.jobs.builders import villages_of

from .helpers import apply


def errors_of(exc_info) -> dict:
    return exc_info.value.message_dict


def test_a_complete_profile_is_saved_encrypted_masked_and_derived(
    graduate_user, profile_data, village, settings
):
    number = id_number_make(village.code[:6], datetime.date(2002, 5, 17), 923)
    profile = graduate_profile_save(user=graduate_user, data=profile_data(id_number=number))

    assert profile.id_number_masked == number[:6] + "********" + number[14:]
    assert number not in profile.id_number_encrypted
    assert personal_decrypt(profile.id_number_encrypted) == number
    assert profile.id_number_hash == personal_hash(number)
    assert profile.birth_date == datetime.date(2002, 5, 17)
    assert profile.gender == "male"  # sequence 923: odd
    assert profile.hometown == village
    graduate_user.refresh_from_db()
    assert graduate_user.full_name == "李小梅"
    assert graduate_user.phone == "13800138000"
    assert graduate_user.home_region == village
    consents = {c.kind: c.text_version for c in ConsentRecord.objects.filter(user=graduate_user)}
    assert consents == {
        ConsentKind.PRIVACY_NOTICE: settings.PRIVACY_NOTICE_VERSION,
        ConsentKind.SENSITIVE_ID_NUMBER: settings.SENSITIVE_CONSENT_VERSION,
    }
    audit = AuditEvent.objects.get(action=AuditAction.PROFILE_UPDATE)
    assert audit.subject_user_id == graduate_user.pk
    assert number not in str(audit.detail)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("44140320020517923X"[:17] + "0", "check digit"),
        ("441403202302309231", "does not exist"),
        ("44140320020517923", "18 characters"),
        ("4414032002051792312", "18 characters"),
        ("44140320020517A231", "17 digits"),
    ],
    ids=["wrong-check-digit", "impossible-date-20230230", "17-chars", "19-chars", "letter"],
)
def test_invalid_id_numbers_are_refused_with_the_reason(graduate_user, profile_data, bad, message):
    with pytest.raises(ValidationError) as exc_info:
        graduate_profile_save(user=graduate_user, data=profile_data(id_number=bad))
    assert any(message in m for m in errors_of(exc_info)["id_number"])
    assert not GraduateProfile.objects.exists()


def test_wrong_check_digit_really_is_wrong(graduate_user, profile_data):
    good = id_number_make("441403", datetime.date(2001, 1, 2), 931)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValidationError) as exc_info:
        graduate_profile_save(user=graduate_user, data=profile_data(id_number=bad))
    assert "id_number" in errors_of(exc_info)


def test_lower_case_x_and_spaces_are_accepted_and_normalised(graduate_user, profile_data):
    number = next(
        id_number_make("441403", datetime.date(2000, 3, 4), seq)
        for seq in range(900, 1000)
        if id_number_make("441403", datetime.date(2000, 3, 4), seq).endswith("X")
    )
    typed = f"{number[:6]} {number[6:14]} {number[14:17]}x"
    profile = graduate_profile_save(user=graduate_user, data=profile_data(id_number=typed))
    assert personal_decrypt(profile.id_number_encrypted) == number
    assert profile.id_number_masked.endswith("X")


def test_a_second_profile_with_the_same_id_number_is_refused(regions, profile_data):
    first, second = user_with_role(Role.GRADUATE), user_with_role(Role.GRADUATE)
    data = profile_data()
    graduate_profile_save(user=first, data=data)
    with pytest.raises(ValidationError) as exc_info:
        graduate_profile_save(user=second, data={**data, "id_number": data["id_number"].lower()})
    assert "already exists" in errors_of(exc_info)["id_number"][0]
    assert GraduateProfile.objects.count() == 1
    assert not ConsentRecord.objects.filter(user=second).exists()


def test_the_same_id_number_in_a_race_gives_the_same_clear_error(regions, profile_data):
    first, second = user_with_role(Role.GRADUATE), user_with_role(Role.GRADUATE)
    data = profile_data()
    graduate_profile_save(user=first, data=data)
    # The other request passed the check before this one saved: the unique hash decides.
    with (
        mock.patch("jobs.services.profiles.id_number_taken", return_value=False),
        pytest.raises(ValidationError) as exc_info,
    ):
        graduate_profile_save(user=second, data=data)
    assert "already exists" in errors_of(exc_info)["id_number"][0]
    assert GraduateProfile.objects.filter(user=second).count() == 0


@pytest.mark.parametrize(
    "typed",
    [
        "138 0013 8000",
        "138-0013-8000",
        "+86 138 0013 8000",
        "+8613800138000",
        "8613800138000",
        "0086 13800138000",
        " 13800138000 ",
    ],
)
def test_phone_numbers_with_spaces_and_country_code_are_normalised(
    graduate_user, profile_data, typed
):
    assert phone_normalize(typed) == "13800138000"
    profile = graduate_profile_save(user=graduate_user, data=profile_data(phone=typed))
    assert profile.phone == "13800138000"


@pytest.mark.parametrize("typed", ["12800138000", "1380013800", "138001380001", "abc", ""])
def test_invalid_phone_numbers_are_refused(graduate_user, profile_data, typed):
    with pytest.raises(ValidationError) as exc_info:
        graduate_profile_save(user=graduate_user, data=profile_data(phone=typed))
    assert "phone" in errors_of(exc_info)


def test_hometown_must_be_a_village_or_community(graduate_user, profile_data):
    with pytest.raises(ValidationError) as exc_info:
        graduate_profile_save(user=graduate_user, data=profile_data(hometown="441403001"))
    assert "village" in errors_of(exc_info)["hometown"][0]
    with pytest.raises(ValidationError) as exc_info:
        graduate_profile_save(user=graduate_user, data=profile_data(hometown="999999999999"))
    assert "hometown" in errors_of(exc_info)


def test_university_from_the_list_or_typed_but_not_neither(graduate_user, profile_data):
    with pytest.raises(ValidationError) as exc_info:
        graduate_profile_save(
            user=graduate_user, data=profile_data(university=None, university_other=" ")
        )
    assert "university" in errors_of(exc_info)
    profile = graduate_profile_save(
        user=graduate_user, data=profile_data(university=None, university_other="湖南大学")
    )
    assert profile.university is None
    assert profile.university_name == "湖南大学"


def test_other_fields_are_checked(graduate_user, profile_data):
    with pytest.raises(ValidationError) as exc_info:
        graduate_profile_save(
            user=graduate_user,
            data=profile_data(
                major="999999",
                graduation_year=1900,
                dialects=["hakka", "klingon"],
                education_level="phd-ish",
                political_status="",
                real_name="",
                university=987654,
            ),
        )
    errors = errors_of(exc_info)
    for field in (
        "major",
        "graduation_year",
        "dialects",
        "education_level",
        "political_status",
        "real_name",
        "university",
    ):
        assert field in errors, field


def test_unticked_consents_save_nothing(graduate_user, profile_data):
    with pytest.raises(ValidationError) as exc_info:
        graduate_profile_save(
            user=graduate_user,
            data=profile_data(sensitive_consent=False, privacy_notice_acknowledged=False),
        )
    errors = errors_of(exc_info)
    assert "sensitive_consent" in errors
    assert "privacy_notice_acknowledged" in errors
    assert not GraduateProfile.objects.exists()
    assert not ConsentRecord.objects.exists()
    graduate_user.refresh_from_db()
    assert graduate_user.phone == ""


def test_consent_is_asked_again_when_the_text_version_changes(
    graduate_user, profile_data, settings
):
    graduate_profile_save(user=graduate_user, data=profile_data())
    # Same version: an update needs no new tick.
    graduate_profile_save(
        user=graduate_user,
        data=profile_data(id_number="", sensitive_consent=False, privacy_notice_acknowledged=False),
    )
    settings.SENSITIVE_CONSENT_VERSION = "2027-01"
    with pytest.raises(ValidationError) as exc_info:
        graduate_profile_save(
            user=graduate_user, data=profile_data(id_number="", sensitive_consent=False)
        )
    assert "sensitive_consent" in errors_of(exc_info)
    graduate_profile_save(user=graduate_user, data=profile_data(id_number=""))
    assert ConsentRecord.objects.filter(
        user=graduate_user, kind=ConsentKind.SENSITIVE_ID_NUMBER, text_version="2027-01"
    ).exists()


def test_blank_id_number_on_update_keeps_the_stored_one(graduate_user, profile_data):
    data = profile_data()
    first = graduate_profile_save(user=graduate_user, data=data)
    second = graduate_profile_save(
        user=graduate_user, data=profile_data(id_number="", phone="13900139000")
    )
    assert second.pk == first.pk
    assert second.id_number_hash == first.id_number_hash
    assert second.phone == "13900139000"


def test_id_number_can_be_corrected_until_the_first_application(graduate_user, profile_data):
    graduate_profile_save(user=graduate_user, data=profile_data())
    corrected = id_number_make("441403", datetime.date(1999, 12, 31), 944)
    profile = graduate_profile_save(user=graduate_user, data=profile_data(id_number=corrected))
    assert personal_decrypt(profile.id_number_encrypted) == corrected
    assert profile.birth_date == datetime.date(1999, 12, 31)
    assert profile.gender == "female"

    apply(graduate_user)
    other = id_number_make("441403", datetime.date(1998, 1, 1), 955)
    with pytest.raises(ValidationError) as exc_info:
        graduate_profile_save(user=graduate_user, data=profile_data(id_number=other))
    assert "can no longer be changed" in errors_of(exc_info)["id_number"][0]
    profile.refresh_from_db()
    assert personal_decrypt(profile.id_number_encrypted) == corrected
    # Typing the same number again is no change, and other fields still save.
    graduate_profile_save(
        user=graduate_user, data=profile_data(id_number=corrected, phone="13700137000")
    )


def test_junior_college_graduates_may_leave_the_major_empty(graduate_user, profile_data):
    profile = graduate_profile_save(
        user=graduate_user, data=profile_data(education_level="junior_college", major="")
    )
    assert profile.major is None
    with pytest.raises(ValidationError) as exc_info:
        graduate_profile_save(user=graduate_user, data=profile_data(id_number="", major=""))
    assert "major" in errors_of(exc_info)


def test_villages_of_another_county_are_fine_hometowns(graduate_user, profile_data):
    tianhe_village = villages_of("440106")[0]
    profile = graduate_profile_save(user=graduate_user, data=profile_data(hometown=tianhe_village))
    assert profile.hometown == tianhe_village
