"""The Chinese catalogue is complete, correct, and what the site actually shows.

- every entry of locale/zh_Hans/LC_MESSAGES/*.po is translated, none is fuzzy, and
  placeholders, HTML tags and entities survive translation;
- `makemessages` run on a copy of the source finds no string that the catalogue lacks
  (this is the test that catches a new string nobody translated);
- the site shell is rendered in Chinese under /zh-hans/ and in English under /en/.
"""

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "locale"
CATALOGUE = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
# What `makemessages` is run with (see the README of locale/ and the Makefile).
IGNORED_DIRS = {".venv", "var", "tests", "benchmarks", "locale", "node_modules"}
SOURCE_SUFFIXES = {".py", ".html", ".txt", ".js"}


def _load_checker():
    spec = importlib.util.spec_from_file_location(
        "translations_check", ROOT / "scripts" / "translations_check.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check = _load_checker()


def _live(entries):
    return [e for e in entries if e.msgid and not e.obsolete]


def _msgfmt() -> str:
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt not found: install Debian's gettext (make system-deps)"
    return msgfmt


# --- the parser the checks rely on -----------------------------------------------------------


def test_parser_reads_contexts_plurals_flags_and_escapes(tmp_path):
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: zh_Hans\\n"\n\n'
        '#, python-format\nmsgctxt "menu"\nmsgid ""\n"Hello %(name)s,\\n"\n"\\"friend\\""\n'
        'msgstr "你好 %(name)s，\\n“朋友”"\n\n'
        '#, fuzzy, python-format\nmsgid "%(n)s file"\nmsgid_plural "%(n)s files"\n'
        'msgstr[0] ""\n\n'
        '#~ msgid "Gone"\n#~ msgstr "已删除"\n',
        encoding="utf-8",
    )
    header, greeting, files, gone = check.parse_po(po)
    assert check.header_fields([header]) == {"Language": "zh_Hans"}
    assert greeting.msgctxt == "menu"
    assert greeting.msgid == 'Hello %(name)s,\n"friend"'
    assert greeting.msgstr == "你好 %(name)s，\n“朋友”"
    assert files.msgid_plural == "%(n)s files"
    assert files.flags == {"fuzzy", "python-format"}
    assert check.entry_problems(files) == [
        "line 13 ('%(n)s file'): marked fuzzy",
        "line 13 ('%(n)s file'): not translated",
    ]
    assert gone.obsolete
    assert check.entry_problems(greeting) == []


@pytest.mark.parametrize(
    ("msgid", "msgstr"),
    [
        ("Welcome, %(name)s", "欢迎您，%(nom)s"),
        ("Welcome, %(name)s", "欢迎您"),
        ("%s of %s", "%s"),
        ("Send <code>token</code>.", "发送 token。"),
        ("Send &lt;token&gt;.", "发送 <token>。"),
    ],
)
def test_a_broken_placeholder_is_reported(msgid, msgstr):
    entry = check.Entry(msgid=msgid, msgstr=msgstr, flags={"python-format"}, line=1)
    assert check.entry_problems(entry), f"{msgstr!r} should be rejected for {msgid!r}"


# --- the committed catalogue ------------------------------------------------------------------


def test_catalogue_exists_and_has_a_zh_hans_header():
    assert CATALOGUE.is_file(), f"{CATALOGUE} is missing: run makemessages -l zh_Hans"
    fields = check.header_fields(check.parse_po(CATALOGUE))
    assert fields.get("Language") == "zh_Hans"
    assert fields.get("Plural-Forms") == "nplurals=1; plural=0;"
    assert fields.get("Content-Type") == "text/plain; charset=UTF-8"


@pytest.mark.parametrize("po", check.catalogues(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_entry_is_translated_and_keeps_its_placeholders(po):
    problems = check.catalogue_problems(po)
    assert not problems, "\n".join(problems)
    assert _live(check.parse_po(po)), f"{po} has no messages"


@pytest.mark.parametrize("po", check.catalogues(), ids=lambda p: str(p.relative_to(ROOT)))
def test_gettext_accepts_the_catalogue(po, tmp_path):
    result = subprocess.run(
        [_msgfmt(), "--check", "--statistics", "-o", str(tmp_path / "out.mo"), str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr


# --- nothing in the code is missing from the catalogue ----------------------------------------


def _copy_sources(destination: Path) -> None:
    """The files makemessages reads, as it would walk them from the project root."""
    for dirpath, dirnames, filenames in os.walk(ROOT):
        here = Path(dirpath)
        dirnames[:] = [
            d
            for d in dirnames
            if not d.startswith(".")
            and not (here == ROOT and d in IGNORED_DIRS)
            and d != "__pycache__"
        ]
        for name in filenames:
            if Path(name).suffix in SOURCE_SUFFIXES and not name.startswith("."):
                target = destination / (here / name).relative_to(ROOT)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(here / name, target)


DOMAINS = ("django", "djangojs")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict[str, list]:
    """makemessages run on a copy of the code, both domains at once.

    It writes only into the copy: the real locale/ directory is never touched.
    """
    tmp = tmp_path_factory.mktemp("makemessages")
    source = tmp / "src"
    _copy_sources(source)
    (source / "locale").mkdir()
    (tmp / "makemessages_settings.py").write_text(
        "from config.settings.test import *  # noqa: F403\n"
        f"LOCALE_PATHS = [{str(source / 'locale')!r}]\n",
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "makemessages_settings",
        "PYTHONPATH": os.pathsep.join([str(tmp), str(ROOT)]),
    }
    _msgfmt()  # makemessages needs gettext too
    runs = {
        domain: subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "makemessages",
                "--locale=zh_Hans",
                f"--domain={domain}",
                "--no-location",
                "--no-obsolete",
            ],
            cwd=source,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for domain in DOMAINS
    }
    result = {}
    for domain, run in runs.items():
        output, _ = run.communicate(timeout=180)
        assert run.returncode == 0, f"makemessages -d {domain} failed:\n{output}"
        po = source / "locale" / "zh_Hans" / "LC_MESSAGES" / f"{domain}.po"
        result[domain] = _live(check.parse_po(po)) if po.exists() else []
    return result


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_string_in_the_code_is_in_the_catalogue(domain, extracted):
    found = extracted[domain]
    if domain == "django":
        assert len(found) > 100, "makemessages found almost nothing: is the copy complete?"
    committed_po = LOCALE / "zh_Hans" / "LC_MESSAGES" / f"{domain}.po"
    committed = (
        {e.key for e in _live(check.parse_po(committed_po))} if committed_po.exists() else set()
    )
    missing = sorted(
        (e.msgid if e.msgctxt is None else f"{e.msgctxt}|{e.msgid}")
        for e in found
        if e.key not in committed
    )
    assert not missing, (
        f"{len(missing)} string(s) in the code are not in locale/zh_Hans/LC_MESSAGES/{domain}.po. "
        "Run `manage.py makemessages -l zh_Hans --ignore=.venv --ignore=var --ignore=tests "
        "--ignore=benchmarks --no-location --no-obsolete` (add -d djangojs for JavaScript) "
        "and translate them:\n" + "\n".join(missing)
    )


# --- what a visitor sees ---------------------------------------------------------------------


@pytest.fixture
def compiled_catalogue(settings, tmp_path):
    """The committed .po compiled now, so a stale or missing .mo cannot decide the result."""
    for po in check.catalogues():
        mo = tmp_path / po.relative_to(LOCALE).with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([_msgfmt(), "--check", "-o", str(mo), str(po)], check=True)
    settings.LOCALE_PATHS = [tmp_path]  # resets Django's translation caches
    return tmp_path


@pytest.mark.django_db
def test_login_page_is_chinese_under_zh_hans(client, compiled_catalogue):
    response = client.get("/zh-hans/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "跳到主要内容" in html
    assert "乡村数字人才平台" in html
    assert "退出登录" not in html and "登录" in html
    assert "Skip to main content" not in html
    assert "Rural Digital Talent Platform" not in html


@pytest.mark.django_db
def test_login_page_is_english_under_en(client, compiled_catalogue):
    response = client.get("/en/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Skip to main content" in html
    assert "Rural Digital Talent Platform" in html
    assert "跳到主要内容" not in html


def test_region_levels_and_roles_use_the_official_chinese_terms(compiled_catalogue):
    from django.utils import translation

    from accounts.choices import Role
    from regions.choices import RegionLevel

    with translation.override("zh-hans"):
        assert [str(level.label) for level in RegionLevel] == [
            "省",
            "地级市",
            "县（市、区）",
            "镇（街道）",
            "村（社区）",
        ]
        assert str(Role.CADRE.label) == "干部"
        assert str(Role.GRADUATE.label) == "高校毕业生"
        assert str(Role.OPERATOR.label) == "专职操作员"
        assert str(Role.TRAINING_EDITOR.label) == "培训管理员"
