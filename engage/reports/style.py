"""Shared look of the report: NHS colours, fonts, and words both renderers use."""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from surveys.wording import N_
from surveys.wording import gettext as _

NHS_BLUE = "#005eb8"
NHS_DARK_BLUE = "#003087"
NHS_LIGHT_BLUE = "#41b6e6"
NHS_PALE_GREY = "#e8edee"
NHS_MID_GREY = "#768692"
NHS_DARK_GREY = "#425563"
NHS_BLACK = "#212b32"
NHS_WARM_YELLOW = "#ffb81c"
NHS_ORANGE = "#ed8b00"

#: Seven points of a trade-off scale, left pole to right: blues and oranges, safe for the common
#: kinds of colour blindness, lighter towards the middle.
SCALE_COLOURS = {-3: NHS_DARK_BLUE, -2: NHS_BLUE, -1: "#7fc4ec", 0: "#d8dde0",
                 1: "#ffd27a", 2: NHS_ORANGE, 3: "#a85d00"}
#: The scale's words in the chart's key (translate where shown: ``_(SCALE_WORDS[p])``).
SCALE_WORDS = {-3: N_("Strongly"), -2: N_("Prefer"), -1: N_("Slightly"), 1: N_("Slightly"), 2: N_("Prefer"),
               3: N_("Strongly")}

_LIBERATION = Path("/usr/share/fonts/truetype/liberation")


@cache
def font_files() -> dict[str, str]:
    """TrueType files for regular, bold and italic text: Liberation Sans (metrically Arial, the
    NHS fallback for Frutiger) where installed, else the DejaVu Sans that ships with matplotlib."""
    names = {"regular": "LiberationSans-Regular.ttf", "bold": "LiberationSans-Bold.ttf",
             "italic": "LiberationSans-Italic.ttf"}
    if all((_LIBERATION / n).is_file() for n in names.values()):
        return {k: str(_LIBERATION / n) for k, n in names.items()}
    import matplotlib

    ttf = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return {"regular": str(ttf / "DejaVuSans.ttf"), "bold": str(ttf / "DejaVuSans-Bold.ttf"),
            "italic": str(ttf / "DejaVuSans-Oblique.ttf")}


def language() -> str:
    """The language the report is written in: the request's ("en" or "cy"); English elsewhere."""
    from engage.i18n import current_language

    return current_language()


def number(n: int) -> str:
    """1,234: thousands marked the same way in English and Welsh."""
    return f"{n:,}"


def percent(share: float) -> str:
    return f"{round(100 * share)}%"


def count_text(n: int | None) -> str:
    """A count, or "not shown" where it is hidden: never "fewer than N", since a count hidden so
    that another cannot be worked out may be larger (``surveys.groups.hidden_cells``)."""
    return _("not shown") if n is None else f"{n:,}"


def clean(text: str) -> str:
    """Drop characters that XML (so DOCX and PDF markup) cannot hold."""
    return "".join(ch for ch in str(text) if ch in "\t\n" or _xml_char(ord(ch)))


def drawable(text: str) -> str:
    """``text`` as the report's font can draw it, for the PDF and the charts (which carry only
    that font): a character it has no glyph for, such as an emoji, is written as its name in
    brackets ("Great care (smiling face)") rather than drawn as an empty box; joiners, variation
    selectors and skin tones that only shape an emoji are dropped. Words in a script the font
    does not have (Urdu, Bengali, Chinese...) are one note of what they are, "(text in Arabic
    script, in the Word report)": a person's words spelt out letter by letter as names could be
    read by no one. A Word document keeps the characters: the reader's own fonts draw them."""
    glyphs = _glyphs()
    out: list[str] = []
    script, gap = None, ""  # the script of the words being left out, while in them; a space after them

    def note(words: str) -> None:
        space = "" if not out or out[-1][-1:].isspace() or out[-1][-1:] in "([{'\"‘“" else " "
        out.append(space + words)

    for ch in text:
        category = unicodedata.category(ch)
        if script and (ch.isspace() or category[0] in "MP" and ord(ch) not in glyphs):
            gap = gap or (ch if ch.isspace() else "")  # within the left-out words, or after them
            continue
        if ord(ch) in glyphs or ch.isspace():
            out.append(gap + ch if script else ch)
            script, gap = None, ""
        elif category[0] == "L":
            if _script(ch) != script:
                script = _script(ch)
                note(_("(text in %(script)s script, in the Word report)", script=script))
            gap = ""
        elif category not in ("Mn", "Me", "Cf", "Sk"):
            script, gap = None, ""
            note(f"({unicodedata.name(ch, 'symbol').lower()})")
    return "".join(out)


#: The first word of a letter's Unicode name for the scripts whose name says nothing to a reader.
_SCRIPT_NAMES = {"CJK": "Chinese", "HANGUL": "Korean", "HIRAGANA": "Japanese", "KATAKANA": "Japanese"}


def _script(ch: str) -> str:
    """The script ``ch`` is written in, as a reader calls it ("Arabic", "Bengali", "Chinese")."""
    first = unicodedata.name(ch, "OTHER").split(" ")[0]
    return _SCRIPT_NAMES.get(first, first.capitalize())


@cache
def _glyphs() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(font_files()["regular"], lazy=True) as font:
        return frozenset(font.getBestCmap())


def _xml_char(code: int) -> bool:
    return code >= 32 and not 0xD800 <= code <= 0xDFFF and code not in (0xFFFE, 0xFFFF)
