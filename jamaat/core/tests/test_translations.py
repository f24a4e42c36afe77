"""The Kyrgyz and Russian catalogs are complete, consistent with the code and compiled.

Parses the .po files with a tiny reader (no polib) and reads the committed .mo files with the
standard library's `gettext`, because CI cannot be trusted to have `msgfmt`.
"""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

LANGUAGES = ("ky", "ru")
# Django's own ky catalog has a single plural form; Russian has one/few/many.
PLURAL_FORMS = {
    "ky": "nplurals=1; plural=0;",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);",
}
# msgids whose translation must contain these words (a few known, visible strings)
KNOWN = {
    "ky": {"Log in": "Кирүү", "Log out": "Чыгуу", "Save": "Сактоо", "Dashboard": "Башкаруу панели"},
    "ru": {"Log in": "Войти", "Log out": "Выйти", "Save": "Сохранить", "Schedule": "График"},
}

NAMED = re.compile(r"%\((\w+)\)[#0\- +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
UNNAMED = re.compile(r"%[#0\- +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


def locale_dir() -> Path:
    return Path(settings.LOCALE_PATHS[0])


def po_path(lang: str) -> Path:
    return locale_dir() / lang / "LC_MESSAGES" / "django.po"


def mo_path(lang: str) -> Path:
    return locale_dir() / lang / "LC_MESSAGES" / "django.mo"


class Entry:
    def __init__(self):
        self.flags: set[str] = set()
        self.msgctxt: str | None = None
        self.msgid = ""
        self.msgid_plural: str | None = None
        self.msgstr = ""
        self.plurals: dict[int, str] = {}
        self.line = 0

    @property
    def key(self) -> str:
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"


def parse_po(path: Path) -> tuple[dict[str, str], list[Entry]]:
    """Return (header fields, entries); obsolete (#~) entries are skipped."""
    entries: list[Entry] = []
    entry, field = None, None
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            if not line:
                entry, field = None, None
            continue
        if entry is None:
            entry = Entry()
            entry.line = n
            entries.append(entry)
        if line.startswith("#,"):
            entry.flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
            continue
        if line.startswith("#"):
            continue
        m = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")$", line)
        if m:
            field, index, value = m.group(1), m.group(2), ast.literal_eval(m.group(3))
            if index is not None:
                field = int(index)
                entry.plurals[field] = value
            else:
                setattr(entry, field, value)
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(field, int):
                entry.plurals[field] += value
            else:
                setattr(entry, field, (getattr(entry, field) or "") + value)
        else:
            raise AssertionError(f"{path}:{n}: cannot read {raw!r}")
    assert entries and entries[0].msgid == "", f"{path}: no header entry"
    header = dict(line.split(":", 1) for line in entries[0].msgstr.splitlines() if ":" in line)
    header = {k.strip(): v.strip() for k, v in header.items()}
    return header, entries[1:]


def placeholders(text: str) -> tuple[set[str], list[str], str]:
    """Named placeholders, unnamed ones (in order), and what is left after removing them."""
    named = set(NAMED.findall(text))
    rest = NAMED.sub("", text).replace("%%", "")
    unnamed = UNNAMED.findall(rest)
    return named, unnamed, UNNAMED.sub("", rest)


@pytest.fixture(scope="module", params=LANGUAGES)
def catalog(request):
    lang = request.param
    header, entries = parse_po(po_path(lang))
    return lang, header, entries


def test_catalogs_exist_for_every_ui_language():
    codes = {code for code, _name in settings.LANGUAGES}
    for lang in LANGUAGES:
        assert lang in codes
        assert po_path(lang).is_file(), po_path(lang)
        assert mo_path(lang).is_file(), f"{mo_path(lang)} missing: run `jamaat compilemessages`"


def test_header(catalog):
    lang, header, entries = catalog
    assert header.get("Language") == lang
    assert "charset=UTF-8" in header.get("Content-Type", "")
    assert header.get("Plural-Forms") == PLURAL_FORMS[lang]
    assert entries, "empty catalog"


def test_every_entry_is_translated_and_not_fuzzy(catalog):
    lang, header, entries = catalog
    nplurals = int(re.search(r"nplurals=(\d+)", header["Plural-Forms"]).group(1))
    problems = []
    for e in entries:
        where = f"{lang}:{e.line} {e.msgid!r}"
        if "fuzzy" in e.flags:
            problems.append(f"{where}: fuzzy")
        if e.msgid_plural is None:
            if not e.msgstr.strip():
                problems.append(f"{where}: empty msgstr")
        else:
            if sorted(e.plurals) != list(range(nplurals)):
                problems.append(f"{where}: plural forms {sorted(e.plurals)}, need {nplurals}")
            for i, form in e.plurals.items():
                if not form.strip():
                    problems.append(f"{where}: empty msgstr[{i}]")
    assert not problems, "\n".join(problems)


def test_placeholders_match(catalog):
    lang, header, entries = catalog
    problems = []
    for e in entries:
        where = f"{lang}:{e.line} {e.msgid!r}"
        if "python-format" not in e.flags:
            continue
        if e.msgid_plural is None:
            want_named, want_unnamed, _ = placeholders(e.msgid)
            forms = {None: e.msgstr}
        else:
            singular, plural = placeholders(e.msgid), placeholders(e.msgid_plural)
            want_named, want_unnamed = plural[0], plural[1]
            allowed = singular[0] | plural[0]
            forms = e.plurals
        for i, text in forms.items():
            named, unnamed, rest = placeholders(text)
            if "%" in rest:
                problems.append(f"{where}: stray % in {text!r} (write %% for a percent sign)")
            if e.msgid_plural is not None and i == 0 and len(forms) > 1:
                # the "one" form may leave out the number, but nothing new may appear
                if not named <= allowed:
                    problems.append(f"{where}: msgstr[0] has unknown {named - allowed}")
                continue
            if named != want_named or unnamed != want_unnamed:
                problems.append(
                    f"{where}: msgstr{'' if i is None else f'[{i}]'} has {sorted(named)} "
                    f"{unnamed}, msgid has {sorted(want_named)} {want_unnamed}"
                )
    assert not problems, "\n".join(problems)


def test_compiled_catalog_matches_the_po(catalog):
    """The committed .mo holds exactly the .po's translations (so it is not stale)."""
    lang, header, entries = catalog
    with mo_path(lang).open("rb") as fh:
        mo = gettext.GNUTranslations(fh)
    compiled = mo._catalog  # keyed by msgid, or (msgid, n) for plurals
    compiled_ids = {k[0] if isinstance(k, tuple) else k for k in compiled} - {""}
    po_ids = {e.key for e in entries}
    assert compiled_ids == po_ids, (
        f"{lang}: .mo is stale, run `jamaat compilemessages`; "
        f"only in .po: {sorted(po_ids - compiled_ids)[:10]}, "
        f"only in .mo: {sorted(compiled_ids - po_ids)[:10]}"
    )
    stale = []
    for e in entries:
        if e.msgid_plural is None:
            if compiled.get(e.key) != e.msgstr:
                stale.append(e.msgid)
        else:
            for i, form in e.plurals.items():
                if compiled.get((e.key, i)) != form:
                    stale.append(f"{e.msgid}[{i}]")
    assert not stale, f"{lang}: .mo differs from .po for {stale[:10]}"
    for msgid, expected in KNOWN[lang].items():
        assert mo.gettext(msgid) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("lang, text", [("ky", "Кирүү"), ("ru", "Войти")])
def test_login_page_is_translated(client, lang, text):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    resp = client.get("/accounts/login/")
    assert resp.status_code == 200
    body = resp.content.decode()
    assert text in body
    assert ">Log in<" not in body


def test_translation_functions_keep_names_that_makemessages_extracts():
    """`makemessages` finds strings only by the names `_`, `gettext`, `gettext_lazy`, `ngettext`,
    `pgettext`… An alias such as `gettext_lazy as _l` hides every string from the catalogs, and the
    page stays English in Kyrgyz (this happened to the questionnaire builder)."""
    package = Path(settings.BASE_DIR)  # the jamaat package
    offenders = []
    for path in sorted(package.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                for alias in node.names:
                    if alias.asname and alias.asname != "_":
                        offenders.append(f"{path.name}: {alias.name} as {alias.asname}")
    assert offenders == []
