"""A consultation on paper: a PDF in standard or large print, with every question laid out for a pen.

Each question's type says how it goes on paper (``on_paper``): tick boxes for single and multiple
choices, a box per point of a trade-off (from one pole to the other), a numbered box per option to
rank, an amount per option to share a budget, a tick for either side of each pair to compare,
ruled lines to write on. Routing becomes "answer this section only if ...". Large print follows RNIB's
clear print advice: 18 point text, bold headings, plenty of space, nothing in italics.

It is drawn as HTML by the report's PDF writer (``engage.reports.pdf.draw``), so it is tagged for
screen readers too: a form sent by email is read aloud as well as printed.

Its words are in the language active while it is built (the view builds it inside
``force_locale``), and the consultation's own words are those of the structure it is given (the
view localises it, so a bilingual consultation prints in Welsh too).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from surveys.types import get_type

from ..prose import prose_html
from ..reports import style
from ..reports.pdf import css_string, draw, font_faces, page_numbers
from ..reports.style import clean

MARGIN = 2.0  # cm
FRAME_W = (21.0 - 2 * MARGIN) / 2.54 * 72  # the width a row of boxes has, in points
GREY = "#4c6272"  # NHS secondary text colour
#: A top-level block of a briefing's HTML.
_BLOCK = re.compile(r"<(p|h3|ul|ol|blockquote|table)>.*?</\1>", re.S)


@dataclass(frozen=True)
class PrintSize:
    name: str
    body: float
    heading: float
    box: float  # side of a tick box, in points
    lines: int  # ruled lines for a written answer


SIZES = {"standard": PrintSize(_l("Standard print"), 12, 18, 13, 6),
         "large": PrintSize(_l("Large print"), 18, 24, 20, 5)}


def _stylesheet(size: PrintSize, footer: str) -> str:
    # (Words to translate stay out of f-strings, where the message extractor cannot see them.)
    numbers = page_numbers(_("Page %(number)s"))
    small = max(size.body * 0.75, 10)
    return font_faces() + f"""
@page {{ size: A4; margin: {MARGIN}cm;
  @bottom-left {{ content: {css_string(footer)}; width: 75%; font: {small}pt EngageSans; color: {GREY};
                  vertical-align: middle; }}
  @bottom-right {{ content: {numbers}; width: 25%; font: {small}pt EngageSans; color: {GREY};
                   vertical-align: middle; }} }}
html {{ font-family: EngageSans; font-size: {size.body}pt; line-height: {size.body * 1.45}pt;
        color: {style.NHS_BLACK}; }}
body {{ margin: 0; }}
p {{ margin: 0 0 {size.body * 0.6}pt; }}
h1 {{ font-size: {size.heading * 1.3}pt; line-height: {size.heading * 1.6}pt; color: {style.NHS_BLUE};
      margin: 0 0 {size.body}pt; }}
h2 {{ font-size: {size.heading}pt; line-height: {size.heading * 1.3}pt; color: {style.NHS_BLUE};
      margin: {size.body}pt 0 {size.body * 0.5}pt; break-after: avoid; }}
h3 {{ font-size: {size.body * 1.15}pt; line-height: {size.body * 1.6}pt;
      margin: {size.body * 0.4}pt 0 {size.body * 0.6}pt; break-after: avoid; }}
.question {{ font-weight: 700; margin: {size.body}pt 0 {size.body * 0.3}pt; break-after: avoid; }}
.hint {{ color: {GREY}; }}
.keep {{ break-inside: avoid; }}
ul {{ margin: 0 0 {size.body * 0.6}pt; padding-left: {size.body * 1.2}pt; }}
li {{ margin-bottom: {size.body * 0.6}pt; }}
table.boxes {{ border-collapse: collapse; table-layout: fixed; width: 100%; }}
.boxes td {{ vertical-align: top; padding: {size.body * 0.35}pt 0; }}
.box {{ display: block; border: 1.2pt solid black; margin-top: 1pt; }}
.line {{ height: {size.body * 2.1}pt; border-bottom: 0.8pt solid {GREY}; }}
.lines {{ margin-bottom: {size.body * 0.6}pt; }}
table:not(.boxes) {{ border-collapse: collapse; margin: 0 0 {size.body}pt; }}
table:not(.boxes) th, table:not(.boxes) td {{ border-bottom: 0.8pt solid {GREY}; text-align: left;
  vertical-align: top; padding: {size.body * 0.3}pt {size.body * 0.6}pt {size.body * 0.3}pt 0; }}
"""


def _inline(text: str) -> str:
    """Markdown's **bold** as bold; everything else as plain, escaped text."""
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", escape(clean(text)))


def _markdown(text: str) -> list[str]:
    """A briefing or consent text as the web shows it (:func:`engage.prose.prose_html`), each link's
    address written out, headings one level under the section's; a block per paragraph, heading,
    list or table, so the page can break between them."""
    html = re.sub(r"<(/?)h[12]>", r"<\1h3>", prose_html(clean(text or ""), links=False))
    blocks = [m.group(0) for m in _BLOCK.finditer(html)]
    # A block nested in another of its kind (a list in a list) is not cut in two: kept whole.
    return blocks if re.sub(r"\s", "", "".join(blocks)) == re.sub(r"\s", "", html) else [html]


def _boxes(rows: tuple[tuple[str, ...], ...], size: PrintSize, width: float) -> str:
    """Rows of [empty box, label] (or several of them side by side): the box, drawn the size of the
    print, is for a tick or a number."""
    across = max(len(row) for row in rows)
    label_width = (FRAME_W - across * (width + 12)) / across
    cols = f'<col style="width: {width + 12:.1f}pt"><col style="width: {label_width:.1f}pt">' * across
    box = f'<span class="box" style="width: {width:.1f}pt; height: {size.box * 1.15:.1f}pt"></span>'
    body = "".join("<tr>" + "".join(f"<td>{box}</td><td>{_inline(label)}</td>" for label in row)
                   + "<td></td><td></td>" * (across - len(row)) + "</tr>" for row in rows)
    return f'<table class="boxes"><colgroup>{cols}</colgroup><tbody>{body}</tbody></table>'


def _lines(count: int) -> str:
    return '<div class="lines">' + '<div class="line"></div>' * count + "</div>"


def _question_body(q, size: PrintSize) -> list[str]:
    """The question's type says how it goes on paper; this draws it."""
    layout = get_type(q.type).on_paper(q)
    out = [f'<p class="hint">{_inline(layout.instruction)}</p>']
    if layout.rows:
        out.append(_boxes(layout.rows, size, size.box * layout.box))
    for written in layout.after:
        if written.words:
            out.append(f"<p>{_inline(written.words)}</p>")
        if written.lines != 0:
            out.append(_lines(size.lines if written.lines is None else written.lines))
    return out


def _routing(page, numbers: dict, questions: dict) -> str | None:
    rule = page.show_if
    if not rule:
        return None
    q = questions.get(rule["question"])
    if q is None:
        return None
    labels = dict(get_type(q.type).items(q)) if hasattr(get_type(q.type), "items") else {}
    answers = f" {_('or')} ".join(f"'{labels.get(k, k)}'" for k in rule["in"])
    return _("Answer this section only if you ticked %(answers)s for question %(number)s. Otherwise, go on "
             "to the next section.", answers=_inline(answers), number=numbers[q.key])


def build_pdf(consultation, pages: list, questions_on: dict, print_size: str = "standard",
              language: str = "en") -> bytes:
    """The whole consultation as a PDF to print, fill in with a pen and send back (``language``
    names the language it is in)."""
    size = SIZES[print_size]
    all_questions = [q for p in pages for q in questions_on.get(p.id, [])]
    numbers = {q.key: i for i, q in enumerate(all_questions, 1)}
    by_key = {q.key: q for q in all_questions}
    story = [f"<h1>{_inline(consultation.title)}</h1>"]
    if consultation.summary:
        story.append(f"<p>{_inline(consultation.summary)}</p>")
    # (Words to translate stay out of f-strings, where the message extractor cannot see them.)
    please_answer = _("please answer")
    how, what_happens = _("How to fill this in"), _("What happens to your answers")
    use_a_pen = _("Use a pen. Put a tick in a box to answer. Where it asks for a number, write it in the "
                  "box. You can leave out any question you do not want to answer, unless it says "
                  "%(please_answer)s.", please_answer=f"<strong>{escape(please_answer)}</strong>")
    give_back = _("When you have finished, give this back to the person who gave it to you, or post it to "
                  "the address they gave you.")
    story += [f"<h2>{escape(how)}</h2>", f"<p>{use_a_pen}</p>", f"<p>{escape(give_back)}</p>"]
    if consultation.consent_text:
        # The consent text is the online journey's, which ends with a reference code to take the
        # answers back: a paper form gives none, and nobody can tell afterwards which form is whose.
        on_paper = _("On paper you do not get a reference code, and nobody can tell which form is yours "
                     "once it is handed in. If you change your mind, do not hand this form in.")
        story += [f"<h2>{escape(what_happens)}</h2>", *_markdown(consultation.consent_text),
                  f"<p><strong>{escape(on_paper)}</strong></p>"]
    for number, page in enumerate(pages, 1):
        # The section's heading (and who it is for) goes on the page where the section starts:
        # kept together with what follows, never left alone at the foot of a page.
        section = _("Section %(number)s: %(title)s", number=number, title=_inline(page.title))
        opening = [f"<h2>{section}</h2>"]
        rule = _routing(page, numbers, by_key)
        if rule:
            opening.append(f"<p><strong>{rule}</strong></p>")
        if page.kind == "briefing":
            text = _markdown(page.body)
            story.append('<div class="keep">' + "".join(opening + text[:2]) + "</div>")
            story += text[2:]
            opening = []
        for q in questions_on.get(page.id, []):
            heading = f"{numbers[q.key]}. {_inline(q.prompt)}"
            if q.required:
                heading += f" ({escape(please_answer)})"
            head = [f'<p class="question">{heading}</p>']
            if q.hint:
                head.append(f'<p class="hint">{_inline(q.hint)}</p>')
            body = _question_body(q, size)
            story.append('<div class="keep">' + "".join(opening + head + body[:2]) + "</div>")
            story += body[2:]
            opening = []
        story += opening
    thanks = _("Thank you for taking part.")
    # The number the response was saved as (staff never see a person's reference code).
    office = _("For office use: entered by ____________  checked by ____________  response number "
               "____________")
    story += [f"<h2>{escape(thanks)}</h2>", f'<p class="hint">{escape(office)}</p>']
    size_name = str(size.name).lower()
    title = f"{consultation.title} ({size_name})"
    footer = f"{consultation.title[:70]} ({size_name})"
    return draw(f'<!DOCTYPE html><html lang="{escape(language)}"><head><meta charset="utf-8">'
                f'<title>{escape(clean(title))}</title><meta name="author" content="Engage">'
                f"<style>{_stylesheet(size, footer)}</style></head><body>{''.join(story)}</body></html>")
