"""A pseudo-translation and a checker for words shown to people that nobody marked for translation.

``pseudo_catalog`` writes a catalog in which every translation is its English wrapped in ⟦…⟧. A
page rendered with it shows every marked word wrapped; ``unmarked_text`` then lists what is left:
text that is neither wrapped, nor consultation content (from the database), nor data (numbers,
reference codes, dates, addresses). Which pages and templates are checked is the tests' choice,
so staff pages can be added by listing them.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[3]
CATALOG = ROOT / "engage" / "translations" / "cy" / "LC_MESSAGES" / "messages.po"
OPEN, CLOSE = "⟦", "⟧"


def pseudo_catalog(directory: Path, locale: str = "cy") -> Path:
    """Translations for ``locale`` under ``directory`` where each msgstr is ⟦msgid⟧."""
    with CATALOG.open("rb") as f:
        catalog = read_po(f, locale=locale)
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):
            singular, plural = message.id
            message.string = tuple(f"{OPEN}{singular if i == 1 else plural}{CLOSE}"
                                   for i in range(catalog.num_plurals))
        else:
            message.string = f"{OPEN}{message.id}{CLOSE}"
    out = directory / locale / "LC_MESSAGES"
    out.mkdir(parents=True, exist_ok=True)
    with (out / "messages.mo").open("wb") as f:
        write_mo(f, catalog)
    return directory


# What is not words: numbers and figures, reference and join codes, dates (their month names come
# from the locale's own data), web and email addresses, punctuation.
DATA = re.compile(
    r"""^(
        [\s\d.,:;%()\-–−+/×·•|'"“”‘’?!…#*&@=_\[\]]*            # figures and punctuation
      | [A-Z0-9]{4}-[A-Z0-9]{4}                               # a reference code
      | \d{1,2}\s\w+\s\d{4}(\s\d{2}:\d{2})?                   # a date, 3 March 2027 (09:30)
      | \S+@\S+ | https?://\S+ | [\w.-]+\.(uk|com|net)\S*     # addresses
    )$""", re.X)
VISIBLE_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
SKIPPED = {"script", "style", "noscript-no"}


class _Texts(HTMLParser):
    """Visible text nodes and the attributes that are read out, with where they were found."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self.stack: list[tuple[str, bool]] = []

    def _skipping(self) -> bool:
        return any(skip for _, skip in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        # The switcher names the other language in that language, on purpose; and a part marked as
        # English inside the page (a question left as written, shown wholly in English with its
        # fixed words: surveys.response_export.as_read) is English on purpose.
        skip = (tag in SKIPPED or "engage-language__link" in (attrs.get("class") or "")
                or tag != "html" and attrs.get("lang") == "en")
        if not self._skipping() and not skip:
            for name in VISIBLE_ATTRIBUTES:
                if attrs.get(name):
                    self.found.append((f"<{tag} {name}>", attrs[name]))
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.found.append((f"<{tag} value>", attrs["value"]))
        if tag not in ("input", "img", "br", "meta", "link", "hr", "rect", "line", "path", "source"):
            self.stack.append((tag, skip))

    def handle_endtag(self, tag):
        if all(open_tag != tag for open_tag, _ in self.stack):  # </rect> after <rect><title>
            return
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        if data.strip() and not self._skipping():
            where = self.stack[-1][0] if self.stack else "?"
            self.found.append((f"<{where}>", data))


def _without_wrapped(text: str) -> list[str]:
    """The parts of ``text`` outside ⟦…⟧ (innermost first, so nesting is handled)."""
    inner = re.compile(re.escape(OPEN) + "[^" + OPEN + CLOSE + "]*" + re.escape(CLOSE))
    while True:
        reduced = inner.sub("\x00", text)
        if reduced == text:
            break
        text = reduced
    return [part for part in text.split("\x00")]


def unmarked_text(html: str, content: list[str]) -> list[tuple[str, str]]:
    """(where, text) for each visible piece of ``html`` that is not marked, content or data.

    ``content`` is every string the consultation (and workshop, publication…) brought from the
    database; a piece that is part of one of them is content."""
    blob = " ".join(" ".join(content).split()).lower()
    parser = _Texts()
    # A marked sentence may hold markup (a link, <strong>): take out whole wrapped spans first.
    parser.feed("\x01".join(_without_wrapped(html)))
    problems = []
    for where, text in parser.found:
        # Pieces joined by punctuation (a title – the service, "label: figure", "1. first; 2. …")
        # are checked one by one.
        for part in re.split(r"[\x00\x01]|\s[–|·]\s|[;,:]\s|(?:^|\s)\d+\.\s", text):
            # (An ellipsis ends content shortened to fit, such as a long question in a list.)
            part = re.sub(r"^\d+\.\s", "", " ".join(part.split())).strip(" ,.:;()–-…")
            if not part or DATA.match(part) or part.lower() in blob:
                continue
            # Content with its figure ("I am a carer 18%", "I am a carer (60)", "a carer -1.05",
            # "13 points") is content and data.
            named = re.sub(r"^[-−+]?[\d.,]+\s+", "", re.sub(r"\s+\(?[-−+]?[\d.,]+%?\)?$", "", part))
            if named != part and named.lower() in blob:
                continue
            problems.append((where, part))
    return problems


def content_strings(value) -> list[str]:
    """Every string in a nested definition (dicts, lists), the consultation's own words."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in content_strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in content_strings(v)]
    return []
