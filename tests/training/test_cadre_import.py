"""Importing cadre accounts from CSV or XLSX: a dry run with a row-by-row report, nothing written
unless the whole file is valid, one transaction on confirm, invitations after the commit."""

import io

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

import pytest
from allauth.account.models import EmailAddress
from openpyxl import Workbook

from accounts import services as account_services
from accounts.choices import Role
from accounts.models import User
from tests.accounts.helpers import give_totp, link_path
from tests.factories import UserFactory, load_small_regions, user_with_role
from training.services.imports import (
    ImportFileError,
    ImportInvalid,
    cadre_import_commit,
    cadre_import_validate,
)

IMPORT = "/zh-hans/learning/assign/import/"
CONFIRM = "/zh-hans/learning/assign/import/confirm/"
EN_IMPORT = "/en/learning/assign/import/"
MEIXIAN = "441403"
MEIXIAN_TOWN = "441403001"
MEIXIAN_VILLAGE = "441403001001"
TIANHE_TOWN = "440106001"

HEADER_ZH = "姓名,邮箱,手机,单位,地区代码,职务"
GOOD_ROWS = [
    "张三,zhangsan@example.gd.cn,138 1234 5678,新城街道办事处,441403001,党政办干部",
    "李四,LiSi@Example.gd.cn,+86 13912345678,梅县区政务服务中心,441403,窗口负责人",
    "王五,wangwu@example.gd.cn,,新城街道某村委会,441403001001,",
]


def csv_bytes(rows, header=HEADER_ZH, encoding="utf-8") -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode(encoding)


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return settings.PRIVATE_STORAGE_ROOT


@pytest.fixture
def regions(db):
    load_small_regions()


@pytest.fixture
def hr_meixian(regions):
    user = user_with_role(Role.HR_OFFICER, MEIXIAN, full_name="梅县区人社局")
    give_totp(user)
    return user


def upload(client, data: bytes, name="cadres.csv", url=IMPORT):
    return client.post(
        url, {"file": SimpleUploadedFile(name, data, content_type="application/octet-stream")}
    )


def errors_of(report) -> list[tuple[int, str]]:
    return [(e.line, e.column) for e in report.errors]


# --- the two steps through the page ------------------------------------------------------------------


def test_a_valid_file_is_a_dry_run_and_confirm_imports_all_and_invites(
    client, hr_meixian, django_capture_on_commit_callbacks
):
    client.force_login(hr_meixian)
    assert client.get(IMPORT).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, csv_bytes(GOOD_ROWS))
    assert response.status_code == 200
    report = response.context["report"]
    assert report.ok and len(report.rows) == 3
    assert report.encoding == "utf-8"
    # Dry run: nothing written, nobody e-mailed.
    assert (
        not User.objects.filter(email__endswith="@example.gd.cn").exclude(pk=hr_meixian.pk).exists()
    )
    assert not mail.outbox
    token = response.context["token"]
    assert f'value="{token}"' in response.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CONFIRM, {"token": token})
    assert response.status_code == 302
    assert response["Location"] == IMPORT

    zhang = User.objects.get(email="zhangsan@example.gd.cn")
    assert (zhang.full_name, zhang.phone, zhang.unit, zhang.position, zhang.home_region.code) == (
        "张三",
        "13812345678",
        "新城街道办事处",
        "党政办干部",
        MEIXIAN_TOWN,
    )
    li = User.objects.get(email="lisi@example.gd.cn")
    assert (li.phone, li.home_region.code) == ("13912345678", MEIXIAN)
    wang = User.objects.get(email="wangwu@example.gd.cn")
    assert (wang.phone, wang.position, wang.home_region.code) == ("", "", MEIXIAN_VILLAGE)
    for user in (zhang, li, wang):
        assert user.roles == {Role.CADRE}
        assert not user.has_usable_password()
        assert not EmailAddress.objects.get(user=user).verified
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in (zhang, li, wang))

    # The invitation works like a single invitation: the link activates the account.
    invitation = next(m for m in mail.outbox if m.to == ["zhangsan@example.gd.cn"])
    assert "梅县区人社局" in invitation.body
    link = link_path(invitation.body, "/me/activate/")
    client.logout()
    response = client.post(
        link, {"password1": "xinzheng-pass-2026", "password2": "xinzheng-pass-2026"}
    )
    assert response.status_code == 302
    zhang.refresh_from_db()
    assert zhang.check_password("xinzheng-pass-2026")

    # The stored upload is gone: the same confirmation cannot import twice.
    client.force_login(hr_meixian)
    again = client.post(CONFIRM, {"token": token})
    assert again.status_code == 302
    assert User.objects.filter(email__in=["zhangsan@example.gd.cn"]).count() == 1


def test_broken_rows_are_reported_by_line_and_column_and_nothing_is_written(
    client, hr_meixian, private_storage
):
    rows = [
        GOOD_ROWS[0],
        "李四,not-an-email,13912345678,单位,441403001,",  # line 3
        "王五,wangwu@example.gd.cn,12345,单位,441403001,",  # line 4: phone
        ",nobody@example.gd.cn,,单位,441403001,",  # line 5: no name
        "赵六,zhao@example.gd.cn,,单位,999999999,",  # line 6: unknown region
        "钱七,qian@example.gd.cn,,单位,441400,",  # line 7: a city
        "",  # a blank line is skipped, but keeps its number
        "孙八,sun@example.gd.cn,,单位,,",  # line 9: no region code
    ]
    client.force_login(hr_meixian)
    with translation.override("en"):
        response = upload(client, csv_bytes(rows), url=EN_IMPORT)
        report = response.context["report"]
        assert errors_of(report) == [
            (3, "邮箱"),
            (4, "手机"),
            (5, "姓名"),
            (6, "地区代码"),
            (7, "地区代码"),
            (9, "地区代码"),
        ]
        messages = {e.line: e.message for e in report.errors}
        assert messages[3] == "“not-an-email” is not a valid e-mail address."
        assert messages[6] == "There is no region with the code 999999999."
        assert "梅州市" in messages[7]
        html = response.content.decode()
    assert "nothing was imported" in html
    assert "<td>6</td><td>地区代码</td><td>There is no region with the code 999999999.</td>" in html
    assert response.context["token"] is None
    assert 'name="token"' not in html
    assert User.objects.count() == 1  # the HR officer only
    assert not list(private_storage.rglob("*.upload"))  # an invalid file is not kept


def test_a_gbk_csv_from_excel_is_read(hr_meixian):
    report = cadre_import_validate(by=hr_meixian, data=csv_bytes(GOOD_ROWS, encoding="gbk"))
    assert report.encoding == "gb18030"
    assert report.ok
    assert [r.name for r in report.rows] == ["张三", "李四", "王五"]
    assert report.rows[0].unit == "新城街道办事处"


def test_utf8_with_a_bom_and_english_headers_are_read(hr_meixian):
    data = "\ufeff".encode() + csv_bytes(
        GOOD_ROWS, header="Name,E-mail,Phone,Unit,Region code,Position"
    )
    report = cadre_import_validate(by=hr_meixian, data=data)
    assert report.ok and report.encoding == "utf-8"
    assert report.rows[1].email == "lisi@example.gd.cn"


def test_an_undecodable_file_gets_a_clear_error_naming_the_line(client, hr_meixian):
    data = csv_bytes(GOOD_ROWS[:1]) + b"\xff\xfe\x80 broken,bad@example.gd.cn\r\n"
    with translation.override("en"), pytest.raises(ImportFileError) as exc:
        cadre_import_validate(by=hr_meixian, data=data)
    assert exc.value.line == 3
    assert "line 3" in exc.value.message
    assert "UTF-8" in exc.value.message and "GBK" in exc.value.message

    client.force_login(hr_meixian)
    with translation.override("en"):
        response = upload(client, data, url=EN_IMPORT)
    assert response.status_code == 200
    assert "line 3" in response.context["form"].errors["file"][0]
    assert "report" not in response.context
    assert User.objects.count() == 1


def test_duplicates_in_the_file_and_existing_accounts_are_reported(hr_meixian):
    UserFactory(email="existing@example.gd.cn")
    rows = [
        GOOD_ROWS[0],
        "重复,ZhangSan@example.gd.cn,,单位,441403001,",  # line 3 repeats line 2
        "已有,Existing@Example.gd.cn,,单位,441403001,",  # line 4 has an account
    ]
    with translation.override("en"):
        report = cadre_import_validate(by=hr_meixian, data=csv_bytes(rows))
        assert [(e.line, e.column, e.message) for e in report.errors] == [
            (3, "邮箱", "This e-mail address already appears on line 2."),
            (4, "邮箱", "An account with this e-mail address already exists."),
        ]
    with pytest.raises(ImportInvalid):
        cadre_import_commit(by=hr_meixian, data=csv_bytes(rows))
    assert not User.objects.filter(email="zhangsan@example.gd.cn").exists()


def test_a_region_outside_the_scope_is_rejected(hr_meixian):
    rows = [GOOD_ROWS[0], f"天河人,th@example.gd.cn,,五山街道,{TIANHE_TOWN},"]
    with translation.override("en"):
        report = cadre_import_validate(by=hr_meixian, data=csv_bytes(rows))
    assert [(e.line, e.column, e.message) for e in report.errors] == [
        (3, "地区代码", "This region is outside your scope.")
    ]
    with pytest.raises(ImportInvalid):
        cadre_import_commit(by=hr_meixian, data=csv_bytes(rows))
    assert not User.objects.filter(
        email__in=["th@example.gd.cn", "zhangsan@example.gd.cn"]
    ).exists()


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_an_xlsx_workbook_is_imported(client, hr_meixian, django_capture_on_commit_callbacks):
    data = xlsx_bytes(
        [
            ["姓名", "邮箱", "手机", "单位", "地区代码", "职务"],
            [
                "张三",
                "zhangsan@example.gd.cn",
                13812345678,
                "新城街道办事处",
                441403001,
                "党政办干部",
            ],
            [None, None, None, None, None, None],
            ["李四", "lisi@example.gd.cn", None, "梅县区政务服务中心", "441403", None],
        ]
    )
    client.force_login(hr_meixian)
    # Recognised by its content, whatever the file is called.
    response = upload(client, data, name="名单.csv")
    report = response.context["report"]
    assert report.encoding == "xlsx"
    assert report.ok
    assert [(r.line, r.phone, r.region_code) for r in report.rows] == [
        (2, "13812345678", "441403001"),
        (4, "", "441403"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CONFIRM, {"token": response.context["token"]})
    zhang = User.objects.get(email="zhangsan@example.gd.cn")
    assert (zhang.phone, zhang.home_region.code, zhang.position) == (
        "13812345678",
        MEIXIAN_TOWN,
        "党政办干部",
    )
    assert User.objects.filter(email="lisi@example.gd.cn", grants__role=Role.CADRE).exists()
    assert len(mail.outbox) == 2


def test_an_xlsx_with_a_broken_row_reports_its_excel_row_number(hr_meixian):
    data = xlsx_bytes(
        [
            ["name", "email", "region_code"],
            ["张三", "zhangsan@example.gd.cn", 441403001],
            ["李四", "bad", 441403001],
        ]
    )
    report = cadre_import_validate(by=hr_meixian, data=data)
    assert errors_of(report) == [(3, "email")]


def test_confirm_validates_the_file_again(client, hr_meixian, django_capture_on_commit_callbacks):
    client.force_login(hr_meixian)
    response = upload(client, csv_bytes(GOOD_ROWS))
    token = response.context["token"]
    # Between the dry run and the confirmation, one of the people got an account.
    UserFactory(email="wangwu@example.gd.cn")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/learning/assign/import/confirm/", {"token": token})
    assert response.status_code == 200
    assert errors_of(response.context["report"]) == [(4, "邮箱")]
    assert not User.objects.filter(
        email__in=["zhangsan@example.gd.cn", "lisi@example.gd.cn"]
    ).exists()
    assert not mail.outbox


def test_confirm_refuses_a_token_not_issued_to_this_session(client, hr_meixian, regions):
    other = user_with_role(Role.HR_OFFICER, MEIXIAN)
    give_totp(other)
    client.force_login(hr_meixian)
    token = upload(client, csv_bytes(GOOD_ROWS)).context["token"]
    client.force_login(other)
    response = client.post(CONFIRM, {"token": token})
    assert response.status_code == 302
    client.force_login(hr_meixian)
    assert client.post(CONFIRM, {"token": "forged-token"}).status_code == 302
    assert not User.objects.filter(email="zhangsan@example.gd.cn").exists()


def test_all_rows_are_written_in_one_transaction(monkeypatch, hr_meixian):
    calls = []

    def failing_invitation(**kwargs):
        calls.append(kwargs["user"].email)
        if len(calls) == 2:
            raise RuntimeError("mail server exploded")

    monkeypatch.setattr(account_services, "_cadre_invitation_send", failing_invitation)
    with pytest.raises(RuntimeError):
        cadre_import_commit(by=hr_meixian, data=csv_bytes(GOOD_ROWS))
    assert not User.objects.filter(
        email__in=["zhangsan@example.gd.cn", "lisi@example.gd.cn"]
    ).exists()
    assert not EmailAddress.objects.filter(email="zhangsan@example.gd.cn").exists()


def test_files_over_5_mb_are_refused(client, hr_meixian):
    client.force_login(hr_meixian)
    big = csv_bytes(GOOD_ROWS) + b"#" * (5 * 1024 * 1024)
    response = upload(client, big)
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert "report" not in response.context


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b"", None),
        ("姓名,手机\r\n张三,13812345678\r\n".encode(), 1),
        ("姓名,邮箱,地区代码\r\n".encode(), None),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, None),
        (b"PK\x03\x04 not really a workbook", None),
    ],
    ids=["empty", "missing-columns", "header-only", "old-xls", "broken-xlsx"],
)
def test_files_that_cannot_be_read_say_why(hr_meixian, data, line):
    with pytest.raises(ImportFileError) as exc:
        cadre_import_validate(by=hr_meixian, data=data)
    assert exc.value.message
    assert exc.value.line == line


def test_the_missing_columns_are_named(hr_meixian):
    with translation.override("en"), pytest.raises(ImportFileError) as exc:
        cadre_import_validate(by=hr_meixian, data="姓名,手机\r\n张三,13812345678\r\n".encode())
    assert "email" in exc.value.message and "region_code" in exc.value.message


def test_people_without_a_scope_cannot_import(client, regions):
    cadre = user_with_role(Role.CADRE)
    client.force_login(cadre)
    assert client.get(IMPORT).status_code == 404
    assert upload(client, csv_bytes(GOOD_ROWS)).status_code == 404
    assert client.post(CONFIRM, {"token": "x"}).status_code == 404
    assert client.get("/zh-hans/learning/assign/import/template.csv").status_code == 404


def test_the_template_opens_in_excel_as_utf8(client, hr_meixian):
    client.force_login(hr_meixian)
    response = client.get("/zh-hans/learning/assign/import/template.csv")
    assert response.content.startswith("\ufeff姓名,邮箱,手机,单位,地区代码,职务".encode())
    # An empty template filled in and uploaded is read back with the same headers.
    filled = response.content + GOOD_ROWS[0].encode() + b"\r\n"
    assert cadre_import_validate(by=hr_meixian, data=filled).ok
