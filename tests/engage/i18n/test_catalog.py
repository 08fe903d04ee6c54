"""The translation catalog is complete and current (CI runs these with the rest of the suite):
extraction finds nothing the committed catalog lacks, the compiled .mo matches its .po, every
word has a Welsh translation with the same placeholders, and no template (respondent or staff)
holds words outside {% trans %} or _()."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from .pseudo import ROOT

TRANSLATIONS = ROOT / "engage" / "translations"
PO = TRANSLATIONS / "cy" / "LC_MESSAGES" / "messages.po"
MO = TRANSLATIONS / "cy" / "LC_MESSAGES" / "messages.mo"
PYBABEL = Path(sys.executable).with_name("pybabel")

#: Templates whose words need not be marked: none. Every template, staff pages included, is
#: checked, so a new one is checked from the start.
UNCHECKED_TEMPLATES: set[str] = set()


def _ids(catalog) -> set:
    return {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog if m.id}


def _read_po(path: Path):
    with path.open("rb") as f:
        return read_po(f, locale="cy")


def test_extraction_finds_nothing_missing_from_the_catalog(tmp_path):
    """Run the README's extraction: a marked word not in messages.pot or the Welsh .po fails."""
    pot = tmp_path / "messages.pot"
    subprocess.run(["make", "-s", "translations-extract", f"POT={pot}"], cwd=ROOT, check=True,
                   capture_output=True)
    extracted = _ids(_read_po(pot))
    committed_pot = _ids(_read_po(TRANSLATIONS / "messages.pot"))
    welsh = _ids(_read_po(PO))
    assert extracted - committed_pot == set(), "run `make translations-update` and translate"
    assert extracted - welsh == set(), "run `make translations-update` and translate"
    assert committed_pot - extracted == set(), "words no longer used: run `make translations-update`"


def test_compiled_catalog_matches_its_source():
    """The .mo the site reads says what the .po says (run `make translations-compile`)."""
    with MO.open("rb") as f:
        compiled = read_mo(f)
    source = _read_po(PO)
    def strings(catalog) -> dict:
        return {m.id if isinstance(m.id, str) else tuple(m.id):
                m.string if isinstance(m.string, str) else tuple(m.string) for m in catalog if m.id}

    assert strings(compiled) == strings(source)


def test_every_word_has_a_welsh_translation_with_its_placeholders():
    catalog = _read_po(PO)
    assert catalog.num_plurals == 6  # Welsh: zero, one, two, few, many, other
    untranslated, fuzzy, broken = [], [], []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(s.strip() for s in strings) or len(strings) not in (1, catalog.num_plurals):
            untranslated.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = {p for i in ids for p in re.findall(r"%\([a-z_]+\)[sd]|%\{[a-z]+\}|\{[a-z]+\}", i)}
        for s in strings:
            given = set(re.findall(r"%\([a-z_]+\)[sd]|%\{[a-z]+\}|\{[a-z]+\}", s))
            # A translation may leave out a placeholder (Welsh does not rephrase the question
            # in "Select %(which)s"), never bring one the code does not fill in.
            if given - wanted:
                broken.append((message.id, s))
        if message.id != "Select %(which)s" and not isinstance(message.id, tuple):
            if wanted - set(re.findall(r"%\([a-z_]+\)[sd]|%\{[a-z]+\}|\{[a-z]+\}", strings[0])):
                broken.append((message.id, strings[0]))
    assert (untranslated, fuzzy, broken) == ([], [], [])
    assert list(catalog.check()) == []


def _template_files():
    base = ROOT / "templates"
    for file in sorted(base.rglob("*.html")):
        name = file.relative_to(base).as_posix()
        if name not in UNCHECKED_TEMPLATES:
            yield name, file


#: Keys of NHS.UK macro params that are shown to people: a plain string there is an unmarked word.
SHOWN_PARAMS = ("text", "html", "titleText", "heading", "summaryText", "visuallyHiddenText", "divider",
                "caption", "legend")


def _expressions(source: str) -> tuple[str, list[str]]:
    """``source`` without its {{ … }} and {% … %} (nested braces and strings allowed), and them."""
    out, found, i = [], [], 0
    while i < len(source):
        if source.startswith(("{{", "{%"), i):
            closing = "}}" if source[i + 1] == "{" else "%}"
            j, depth, quote = i + 2, 0, None
            while j < len(source):
                ch = source[j]
                if quote:
                    quote = None if ch == quote else quote
                elif ch in "\"'":
                    quote = ch
                elif ch in "{[(":
                    depth += 1
                elif depth and ch in "}])":
                    depth -= 1
                elif source.startswith(closing, j):
                    break
                j += 1
            found.append(source[i:j + 2])
            out.append(" ")
            i = j + 2
        else:
            out.append(source[i])
            i += 1
    return "".join(out), found


def unmarked_in_template(source: str) -> list[str]:
    """Words in a template that are outside {% trans %} and _(): in its HTML, and as plain strings
    given to an NHS.UK macro as text people see."""
    source = re.sub(r"\{#.*?#\}", " ", source, flags=re.S)
    source = re.sub(r"\{%-?\s*trans\b.*?\{%-?\s*endtrans\s*-?%\}", " ", source, flags=re.S)
    html, expressions = _expressions(source)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]*>", " ", html, flags=re.S)  # tags, with their attributes
    words = re.findall(r"[A-Za-z][A-Za-z'’-]+", html)
    keys = "|".join(SHOWN_PARAMS)
    for expression in expressions:
        for value in re.findall(rf'"(?:{keys})"\s*:\s*"([^"]*)"', expression):
            words += re.findall(r"[A-Za-z][A-Za-z'’-]+", re.sub(r"<[^>]*>", " ", value))
    return words


@pytest.mark.parametrize(("name", "file"), list(_template_files()), ids=lambda v: str(v))
def test_template_words_are_marked(name, file):
    assert unmarked_in_template(file.read_text()) == []


def test_every_template_is_checked():
    """The responses pages (and any template added later) are among those checked."""
    names = {name for name, _ in _template_files()}
    assert {"facilitate/responses.html", "facilitate/respondent.html", "facilitate/texts.html",
            "facilitate/_responses_nav.html", "themes/board.html"} <= names
    assert len(names) == len(list((ROOT / "templates").rglob("*.html")))


#: NHS.UK macros with English words of their own, and what a call must give them instead.
MACRO_WORDS = {"passwordInput": "password_texts()", "pagination": '"ariaLabel"',
               "characterCount": "with_count_texts", "fileUpload": "file_upload_texts()"}


def macros_without_their_words(source: str) -> list[str]:
    """Calls of an NHS.UK macro in ``source`` that leave its built-in English words in place."""
    _, expressions = _expressions(re.sub(r"\{#.*?#\}", " ", source, flags=re.S))
    return [name for expression in expressions for name, words in MACRO_WORDS.items()
            if re.search(rf"\b{name}\(", expression) and "import" not in expression
            and words not in expression]


@pytest.mark.parametrize(("name", "file"), list(_template_files()), ids=lambda v: str(v))
def test_nhs_macros_are_given_their_words_translated(name, file):
    assert macros_without_their_words(file.read_text()) == []


def test_macro_check_finds_built_in_english():
    assert macros_without_their_words('{{ pagination({"next": {"text": _("Next")}}) }}') == ["pagination"]
    assert macros_without_their_words('{{ pagination({"ariaLabel": _("Pages")}) }}') == []
    assert macros_without_their_words("{{ passwordInput(field_params(f)) }}") == ["passwordInput"]
    assert macros_without_their_words('{% from "x" import pagination %}') == []
    assert macros_without_their_words("{{ fileUpload(field_params(f, value=none)) }}") == ["fileUpload"]


def test_template_check_finds_an_unmarked_word():
    assert unmarked_in_template("<p>{% trans %}Hello{% endtrans %}</p>{{ _('x') }}") == []
    assert unmarked_in_template("<h1>{{ title }}</h1><p>Continue</p>") == ["Continue"]
    assert unmarked_in_template('{{ button({"text": "Send", "attributes": {"id": "x"}}) }}') == ["Send"]
    assert unmarked_in_template('{{ button({"text": _("Send"), "attributes": {"id": "x"}}) }}') == []


def test_catalog_has_no_stray_msgids_in_the_header():
    text = PO.read_text()
    assert "Plural-Forms: nplurals=6;" in text
    assert io.StringIO(text).readline().startswith("#")
