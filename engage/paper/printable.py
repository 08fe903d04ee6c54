"""A consultation on paper: a PDF in standard or large print, with every question laid out for a pen.

Each question's type says how it goes on paper (``on_paper``): tick boxes for single and multiple
choices, a box per point of a trade-off (from one pole to the other), a numbered box per option to
rank, an amount per option to share a budget, a tick for either side of each pair to compare,
ruled lines to write on. Routing becomes "answer this section only if ...". Large print follows RNIB's
clear print advice: 18 point text, bold headings, plenty of space, nothing in italics.

Its words are in the language active while it is built (the view builds it inside
``force_locale``), and the consultation's own words are those of the structure it is given (the
view localises it, so a bilingual consultation prints in Welsh too).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from surveys.types import get_type

from ..reports import style
from ..reports.style import clean

FONT = "EngageSans"
BLUE = colors.HexColor(style.NHS_BLUE)
BLACK = colors.HexColor(style.NHS_BLACK)
GREY = colors.HexColor("#4c6272")  # NHS secondary text colour
MARGIN = 2 * cm
FRAME_W = A4[0] - 2 * MARGIN


def _fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    files = style.font_files()
    pdfmetrics.registerFont(TTFont(FONT, files["regular"]))
    pdfmetrics.registerFont(TTFont(f"{FONT}-Bold", files["bold"]))
    pdfmetrics.registerFont(TTFont(f"{FONT}-Italic", files["italic"]))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=f"{FONT}-Bold", italic=f"{FONT}-Italic",
                                  boldItalic=f"{FONT}-Bold")


@dataclass(frozen=True)
class PrintSize:
    name: str
    body: float
    heading: float
    box: float  # side of a tick box, in points
    lines: int  # ruled lines for a written answer


SIZES = {"standard": PrintSize(_l("Standard print"), 12, 18, 13, 6),
         "large": PrintSize(_l("Large print"), 18, 24, 20, 5)}


def _styles(size: PrintSize) -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=FONT, fontSize=size.body, leading=size.body * 1.45,
                          textColor=BLACK, spaceAfter=size.body * 0.6)
    return {
        "body": body,
        "title": ParagraphStyle("title", parent=body, fontName=f"{FONT}-Bold", fontSize=size.heading * 1.3,
                                leading=size.heading * 1.6, textColor=BLUE, spaceAfter=size.body),
        "bullet": ParagraphStyle("bullet", parent=body, leftIndent=size.body * 1.2, bulletIndent=0),
        "h2": ParagraphStyle("h2", parent=body, fontName=f"{FONT}-Bold", fontSize=size.heading,
                             keepWithNext=1, leading=size.heading * 1.3, textColor=BLUE,
                             spaceBefore=size.body, spaceAfter=size.body * 0.5),
        "h3": ParagraphStyle("h3", parent=body, fontName=f"{FONT}-Bold", fontSize=size.body * 1.15,
                             leading=size.body * 1.6, spaceBefore=size.body * 0.4, keepWithNext=1),
        "question": ParagraphStyle("question", parent=body, fontName=f"{FONT}-Bold", spaceBefore=size.body,
                                   spaceAfter=size.body * 0.3),
        "hint": ParagraphStyle("hint", parent=body, textColor=GREY),
    }


def _inline(text: str) -> str:
    """Markdown's **bold** as bold; everything else as plain, escaped text."""
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", escape(clean(text)))


def _markdown(text: str, st: dict) -> list:
    """The small part of Markdown that briefings use: paragraphs, ## headings and - lists."""
    out = []
    for block in re.split(r"\n\s*\n", (text or "").strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("#"):
            out.append(Paragraph(_inline(lines[0].lstrip("#").strip()), st["h3"]))
            lines = lines[1:]
        for line in lines if lines and lines[0][:2] in ("- ", "* ") else []:
            out.append(Paragraph(_inline(line[2:]), st["bullet"], bulletText="•"))
        if lines and lines[0][:2] not in ("- ", "* "):
            out.append(Paragraph(_inline(" ".join(lines)), st["body"]))
    return out


class _BoxedTable(Table):
    """Rows of [empty box, label] (or several of them side by side): the box, drawn the size of the
    print, is for a tick or a number."""

    def __init__(self, rows: tuple[tuple[str, ...], ...], st: dict, size: PrintSize, width: float):
        across = max(len(row) for row in rows)
        label_width = (FRAME_W - across * (width + 12)) / across
        cells = [[part for label in row for part in ("", Paragraph(_inline(label), st["body"]))]
                 for row in rows]
        super().__init__(cells, colWidths=[width + 12, label_width] * across, hAlign="LEFT")
        self.box_width, self.box_height, self.pad = width, size.box * 1.15, size.body * 0.35
        self.boxes = [len(row) for row in rows]
        self.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                  ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                  ("TOPPADDING", (0, 0), (-1, -1), self.pad),
                                  ("BOTTOMPADDING", (0, 0), (-1, -1), self.pad)]))

    def draw(self):
        super().draw()
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(BLACK)
        canvas.setLineWidth(1.2)
        top = self._height
        for height, boxes in zip(self._rowHeights, self.boxes, strict=True):
            for i in range(boxes):
                canvas.rect(self._colpositions[2 * i], top - self.pad - self.box_height + 1,
                            self.box_width, self.box_height)
            top -= height
        canvas.restoreState()


def _lines(count: int, size: PrintSize) -> Table:
    rows = [[""] for _ in range(count)]
    table = Table(rows, colWidths=[FRAME_W], rowHeights=[size.body * 2.1] * count, hAlign="LEFT")
    table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.8, GREY)]))
    return table


def _question_body(q, st: dict, size: PrintSize) -> list:
    """The question's type says how it goes on paper; this draws it."""
    layout = get_type(q.type).on_paper(q)
    out = [Paragraph(_inline(layout.instruction), st["hint"])]
    if layout.rows:
        out.append(_BoxedTable(layout.rows, st, size, size.box * layout.box))
    for written in layout.after:
        if written.words:
            out.append(Paragraph(_inline(written.words), st["body"]))
        if written.lines != 0:
            out.append(_lines(size.lines if written.lines is None else written.lines, size))
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
    names the language it is in, for the PDF's own record)."""
    _fonts()
    size = SIZES[print_size]
    st = _styles(size)
    all_questions = [q for p in pages for q in questions_on.get(p.id, [])]
    numbers = {q.key: i for i, q in enumerate(all_questions, 1)}
    by_key = {q.key: q for q in all_questions}
    story = [Paragraph(_inline(consultation.title), st["title"])]
    if consultation.summary:
        story.append(Paragraph(_inline(consultation.summary), st["body"]))
    please_answer = _("please answer")
    story += [Paragraph(_("How to fill this in"), st["h2"]),
              Paragraph(_("Use a pen. Put a tick in a box to answer. Where it asks for a number, write it in "
                          "the box. You can leave out any question you do not want to answer, unless it says "
                          "%(please_answer)s.", please_answer=f"<b>{please_answer}</b>"), st["body"]),
              Paragraph(_("When you have finished, give this back to the person who gave it to you, or post "
                          "it to the address they gave you."), st["body"])]
    if consultation.consent_text:
        story += [Paragraph(_("What happens to your answers"), st["h2"]),
                  *_markdown(consultation.consent_text, st)]
    for number, page in enumerate(pages, 1):
        # The section's heading (and who it is for) goes on the page where the section starts:
        # kept together with what follows, never left alone at the foot of a page.
        opening = [Paragraph(_("Section %(number)s: %(title)s", number=number, title=_inline(page.title)),
                             st["h2"])]
        rule = _routing(page, numbers, by_key)
        if rule:
            opening.append(Paragraph(f"<b>{rule}</b>", st["body"]))
        if page.kind == "briefing":
            text = _markdown(page.body, st)
            story.append(KeepTogether(opening + text[:2]))
            story += text[2:]
            opening = []
        for q in questions_on.get(page.id, []):
            heading = f"{numbers[q.key]}. {_inline(q.prompt)}"
            if q.required:
                heading += f" ({please_answer})"
            head = [Paragraph(heading, st["question"])]
            if q.hint:
                head.append(Paragraph(_inline(q.hint), st["hint"]))
            body = _question_body(q, st, size)
            story.append(KeepTogether(opening + head + body[:2]))
            story += body[2:]
            opening = []
        story += opening
    story += [Spacer(1, size.body), Paragraph(_("Thank you for taking part."), st["h2"]),
              Paragraph(_("For office use: entered by ____________  checked by ____________  "
                          "reference ____________"), st["hint"])]
    size_name = str(size.name).lower()

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, max(size.body * 0.75, 10))
        canvas.setFillColor(GREY)
        canvas.drawString(MARGIN, MARGIN / 2, f"{consultation.title[:70]} ({size_name})")
        canvas.drawRightString(A4[0] - MARGIN, MARGIN / 2, _("Page %(number)s", number=doc.page))
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN, title=f"{consultation.title} ({size_name})",
                            author="Engage", lang=language)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()

