"""Check our gettext catalogues: every entry translated, none fuzzy, placeholders intact.

    .venv/bin/python scripts/translations_check.py            # locale/*/LC_MESSAGES/*.po
    .venv/bin/python scripts/translations_check.py some.po    # only these files

Exits 1 and lists the problems when there are any. Standard library only; the parser
understands what `makemessages` writes (contexts, plurals, flags, obsolete `#~` entries).
tests/test_translations.py uses the same functions.
"""

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b"}
_ESCAPE_RE = re.compile(r"\\(.)")
# %(name)s, %s, %d, %5.2f ... but not the literal %%.
_PERCENT_RE = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*\d*(?:\.\d+)?(?P<conv>[diouxXeEfFgGcrsa%])"
)
_BRACE_RE = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)?(?:[.:!][^{}]*)?\}(?!\})")
_TAG_RE = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)\b[^>]*>")
_ENTITY_RE = re.compile(r"&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);")
_HEADER_RULES = {
    "Language": re.compile(r"^zh_Hans$"),
    "Plural-Forms": re.compile(r"^nplurals=1; plural=0;$"),
    "Content-Type": re.compile(r"^text/plain; charset=UTF-8$"),
}


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def translations(self) -> list[str]:
        if self.msgid_plural is not None:
            return [self.msgstr_plural[i] for i in sorted(self.msgstr_plural)]
        return [self.msgstr]


def _unquote(text: str, path: Path, line: int) -> str:
    text = text.strip()
    if len(text) < 2 or not (text.startswith('"') and text.endswith('"')):
        raise ValueError(f"{path}:{line}: expected a quoted string, got {text!r}")
    return _ESCAPE_RE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(0)), text[1:-1])


def parse_po(path: Path | str) -> list[Entry]:
    """Every entry of a .po file, the header (msgid "") included, in file order."""
    path = Path(path)
    entries: list[Entry] = []
    current = Entry()
    started = False  # has `current` seen a keyword yet?
    target: tuple[str, int | None] | None = None  # the field continuation lines extend

    def finish() -> None:
        nonlocal current, started, target
        if started:
            entries.append(current)
        current, started, target = Entry(), False, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            finish()
            continue
        if line.startswith("#"):
            if started and target is not None and not line.startswith("#|"):
                finish()  # a comment after a complete entry opens the next one
            if line.startswith("#,"):
                current.flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
            continue
        if line.startswith('"'):
            if target is None:
                raise ValueError(f"{path}:{number}: continuation line outside an entry")
            name, index = target
            value = _unquote(line, path, number)
            if name == "msgstr_plural":
                current.msgstr_plural[index] += value
            else:
                setattr(current, name, getattr(current, name) + value)
            continue
        keyword, _, rest = line.partition(" ")
        # A new msgctxt, or a msgid not preceded by its msgctxt, starts the next entry.
        if (
            started
            and target is not None
            and (keyword == "msgctxt" or (keyword == "msgid" and target[0] != "msgctxt"))
        ):
            finish()
        if not started:
            current.line = number
            current.obsolete = obsolete
            started = True
        value = _unquote(rest, path, number)
        plural = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        if plural:
            index = int(plural.group(1))
            current.msgstr_plural[index] = value
            target = ("msgstr_plural", index)
        elif keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
            setattr(current, keyword, value)
            target = (keyword, None)
        else:
            raise ValueError(f"{path}:{number}: unknown keyword {keyword!r}")
    finish()
    return entries


def header_fields(entries: list[Entry]) -> dict[str, str]:
    header = next((e for e in entries if e.msgid == "" and e.msgctxt is None), None)
    if header is None:
        return {}
    fields = {}
    for line in header.msgstr.splitlines():
        name, sep, value = line.partition(":")
        if sep:
            fields[name.strip()] = value.strip()
    return fields


def placeholders(text: str) -> dict[str, list[str]]:
    """What must survive translation: format placeholders, HTML tags and entities."""
    percent = [m.group(0) for m in _PERCENT_RE.finditer(text) if m.group("conv") != "%"]
    named = sorted(p for p in percent if p.startswith("%("))
    positional = [p for p in percent if not p.startswith("%(")]
    return {
        "named": named,
        "positional": positional,
        "brace": sorted(m.group(0) for m in _BRACE_RE.finditer(text)),
        "tags": sorted(m.group(0).split()[0].rstrip(">").lower() for m in _TAG_RE.finditer(text)),
        "entities": sorted(_ENTITY_RE.findall(text)),
    }


def entry_problems(entry: Entry) -> list[str]:
    where = f"line {entry.line} ({entry.msgid[:60]!r})"
    problems = []
    if "fuzzy" in entry.flags:
        problems.append(f"{where}: marked fuzzy")
    if entry.msgid_plural is not None and sorted(entry.msgstr_plural) != [0]:
        problems.append(f"{where}: Chinese has one plural form, expected only msgstr[0]")
    sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural is not None else [])
    for translation in entry.translations:
        if not translation.strip():
            problems.append(f"{where}: not translated")
            continue
        wanted = placeholders(entry.msgid)
        got = placeholders(translation)
        for kind in ("named", "brace", "tags", "entities"):
            if kind == "brace" and "python-brace-format" not in entry.flags:
                continue
            # A plural's singular may leave out the count; any source's set is acceptable.
            options = [placeholders(s)[kind] for s in sources]
            if got[kind] not in options:
                problems.append(f"{where}: {kind} {wanted[kind]} became {got[kind]}")
        if "python-format" in entry.flags:
            options = [placeholders(s)["positional"] for s in sources]
            if got["positional"] not in options:
                problems.append(
                    f"{where}: positional placeholders {wanted['positional']} "
                    f"became {got['positional']}"
                )
    return problems


def catalogue_problems(path: Path | str) -> list[str]:
    entries = parse_po(path)
    fields = header_fields(entries)
    problems = []
    if not fields:
        problems.append("no header entry")
    for name, rule in _HEADER_RULES.items():
        if not rule.match(fields.get(name, "")):
            problems.append(f"header {name}: {fields.get(name)!r}")
    for entry in entries:
        if entry.obsolete:
            continue
        if entry.msgid == "" and entry.msgctxt is None:
            if "fuzzy" in entry.flags:
                problems.append("header is marked fuzzy")
            continue
        problems.extend(entry_problems(entry))
    return problems


def catalogues() -> list[Path]:
    return sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po"))


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or catalogues()
    failed = False
    for path in paths:
        problems = catalogue_problems(path)
        live = [e for e in parse_po(path) if e.msgid and not e.obsolete]
        status = "ok" if not problems else f"{len(problems)} problem(s)"
        sys.stdout.write(f"{path}: {len(live)} messages, {status}\n")
        for problem in problems:
            sys.stdout.write(f"  {problem}\n")
        failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
