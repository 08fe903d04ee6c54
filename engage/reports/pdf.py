"""The report as PDF (reportlab platypus): A4, NHS blue headings, page numbers in the footer."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    Image,
    KeepTogether,
    ListFlowable,
    ListItem,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from surveys.wording import gettext as _

from . import content, style
from .content import SUBTITLE

FONT = "EngageSans"
MARGIN = 2 * cm
PAGE_W, PAGE_H = A4
FRAME_W = PAGE_W - 2 * MARGIN

BLUE = colors.HexColor(style.NHS_BLUE)
DARK_BLUE = colors.HexColor(style.NHS_DARK_BLUE)
BLACK = colors.HexColor(style.NHS_BLACK)
GREY = colors.HexColor("#4c6272")  # NHS secondary text colour
PALE = colors.HexColor(style.NHS_PALE_GREY)
BORDER = colors.HexColor("#d8dde0")


def _fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    files = style.font_files()
    pdfmetrics.registerFont(TTFont(FONT, files["regular"]))
    pdfmetrics.registerFont(TTFont(f"{FONT}-Bold", files["bold"]))
    pdfmetrics.registerFont(TTFont(f"{FONT}-Italic", files["italic"]))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=f"{FONT}-Bold", italic=f"{FONT}-Italic",
                                  boldItalic=f"{FONT}-Bold")


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=15, textColor=BLACK,
                          spaceAfter=7, alignment=TA_LEFT)
    return {
        "body": body,
        "muted": ParagraphStyle("muted", parent=body, textColor=GREY, fontSize=9.5, leading=13.5),
        "h1": ParagraphStyle("h1", parent=body, fontName=f"{FONT}-Bold", fontSize=20, leading=25,
                             textColor=BLUE, spaceBefore=4, spaceAfter=10, keepWithNext=1),
        "h2": ParagraphStyle("h2", parent=body, fontName=f"{FONT}-Bold", fontSize=14, leading=18,
                             textColor=BLUE, spaceBefore=14, spaceAfter=5, keepWithNext=1),
        "quote": ParagraphStyle("quote", parent=body, fontName=f"{FONT}-Italic", spaceAfter=0),
        "bullet": ParagraphStyle("bullet", parent=body, spaceAfter=3),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=11.5, spaceAfter=0),
        "cell_num": ParagraphStyle("cell_num", parent=body, fontSize=9, leading=11.5, spaceAfter=0,
                                   alignment=TA_RIGHT),
        "head": ParagraphStyle("head", parent=body, fontName=f"{FONT}-Bold", fontSize=9, leading=11.5,
                               textColor=colors.white, spaceAfter=0),
        "head_num": ParagraphStyle("head_num", parent=body, fontName=f"{FONT}-Bold", fontSize=9,
                                   leading=11.5, textColor=colors.white, spaceAfter=0, alignment=TA_RIGHT),
        "caption": ParagraphStyle("caption", parent=body, fontSize=9, leading=12, textColor=GREY),
        "title": ParagraphStyle("title", parent=body, fontName=f"{FONT}-Bold", fontSize=30, leading=36,
                                textColor=DARK_BLUE, spaceAfter=14),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontName=f"{FONT}-Bold", fontSize=18,
                                   leading=23, textColor=BLUE, spaceAfter=28),
        "fact": ParagraphStyle("fact", parent=body, fontSize=13, leading=19, spaceAfter=2),
    }


def _text(value: str) -> str:
    return escape(value)


class _NumberedCanvas(pdfcanvas.Canvas):
    """Writes "Page N of M" once the number of pages is known (not on the title page)."""

    footer = ""
    #: "Page %(page)s of %(pages)s" in the report's language (the canvas draws after the request's
    #: words are chosen, so it is given them).
    page_words = "Page %(page)s of %(pages)s"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self):  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            if self._pageNumber > 1:
                self._footer(total)
            super().showPage()
        super().save()

    def _footer(self, total: int) -> None:
        self.saveState()
        self.setStrokeColor(BORDER)
        self.setLineWidth(0.6)
        self.line(MARGIN, 1.45 * cm, PAGE_W - MARGIN, 1.45 * cm)
        self.setFont(FONT, 8.5)
        self.setFillColor(GREY)
        self.drawString(MARGIN, 1.0 * cm, self.footer)
        self.drawRightString(PAGE_W - MARGIN, 1.0 * cm, self.page_words % {"page": self._pageNumber,
                                                                               "pages": total})
        self.restoreState()


def _title_page(canvas, _doc) -> None:
    canvas.saveState()
    canvas.setFillColor(BLUE)
    canvas.rect(0, PAGE_H - 3.2 * cm, PAGE_W, 3.2 * cm, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    canvas.setFont(f"{FONT}-Bold", 16)
    canvas.drawString(MARGIN, PAGE_H - 1.9 * cm, "Engage")
    canvas.setFont(FONT, 10.5)
    canvas.drawRightString(PAGE_W - MARGIN, PAGE_H - 1.9 * cm, _("NHS public engagement"))
    canvas.restoreState()


def _table(block: content.Table, st) -> Table:
    numeric = block.numeric
    header = [Paragraph(_text(h), st["head_num" if i in numeric else "head"])
              for i, h in enumerate(block.header)]
    rows = [[Paragraph(_text(v), st["cell_num" if i in numeric else "cell"]) for i, v in enumerate(row)]
            for row in block.rows]
    total = sum(block.widths)
    table = Table([header, *rows], colWidths=[FRAME_W * w / total for w in block.widths], repeatRows=1)
    commands = [
        ("BACKGROUND", (0, 0), (-1, 0), BLUE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 1), (-1, -1), 0.5, BORDER),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 5), ("RIGHTPADDING", (0, 0), (-1, -1), 5),
    ]
    commands += [("BACKGROUND", (0, r), (-1, r), PALE) for r in range(2, len(rows) + 1, 2)]
    table.setStyle(TableStyle(commands))
    return table


def _quote(text: str, st) -> Table:
    quote = Table([[Paragraph(f"“{_text(text)}”", st["quote"])]], colWidths=[FRAME_W - 0.4 * cm])
    quote.setStyle(TableStyle([
        ("LINEBEFORE", (0, 0), (0, 0), 3, BLUE), ("BACKGROUND", (0, 0), (-1, -1), PALE),
        ("LEFTPADDING", (0, 0), (-1, -1), 10), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]))
    quote.hAlign = "RIGHT"
    return quote


def _figure(block: content.Figure, st) -> list:
    width = FRAME_W
    height = width * block.chart.aspect
    limit = (PAGE_H - 2 * MARGIN) * 0.62
    if height > limit:
        width, height = width * limit / height, limit
    image = Image(io.BytesIO(block.chart.png), width=width, height=height)
    parts = [Spacer(1, 4), image]
    if block.caption:
        parts.append(Paragraph(_text(block.caption), st["caption"]))
    return [KeepTogether(parts), Spacer(1, 6)]


def _flowables(block, st) -> list:
    if isinstance(block, content.Title):
        return [Spacer(1, 4.2 * cm), Paragraph(_text(block.title), st["title"]),
                Paragraph(_text(block.subtitle), st["subtitle"]),
                *[Paragraph(_text(f), st["fact"]) for f in block.facts],
                Spacer(1, 1.2 * cm), Paragraph(_text(block.note), st["muted"])]
    if isinstance(block, content.PageBreak):
        return [PageBreak()]
    if isinstance(block, content.Heading):
        return [Paragraph(_text(block.text), st["h1" if block.level == 1 else "h2"])]
    if isinstance(block, content.Para):
        lead = f"<b>{_text(block.lead)}</b>" if block.lead else ""
        paragraph = Paragraph(lead + _text(block.text), st["muted" if block.muted else "body"])
        if block.with_next:
            paragraph.keepWithNext = 1  # on the same page as the quotes or the table it introduces
        return [paragraph]
    if isinstance(block, content.Bullets):
        return [ListFlowable(
            [ListItem(Paragraph(_text(i), st["bullet"]), leftIndent=14, value="•") for i in block.items],
            bulletType="bullet", start="•", leftIndent=14, bulletColor=BLUE, spaceAfter=6)]
    if isinstance(block, content.Quote):
        return [_quote(block.text, st), Spacer(1, 5)]
    if isinstance(block, content.Table):
        return [_table(block, st), Spacer(1, 10)]
    if isinstance(block, content.Figure):
        return _figure(block, st)
    if isinstance(block, content.Keep):
        return [KeepTogether(_unkept([f for b in block.blocks for f in _flowables(b, st)]))]
    raise TypeError(f"Unknown block {block!r}")


def _unkept(flowables: list) -> list:
    """The flowables with any KeepTogether inside opened up: reportlab's KeepTogether says it is
    endlessly tall until it is split, so one inside another made the outer one start a new page
    every time (each trade-off alone on its page)."""
    out = []
    for f in flowables:
        out += _unkept(f._content) if isinstance(f, KeepTogether) else [f]
    return out


def render(blocks: list[content.Block], title: str) -> bytes:
    _fonts()
    st = _styles()
    story = [f for block in blocks for f in _flowables(block, st)]
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN, title=f"{title}: {_(SUBTITLE)}", author="Engage",
                            subject=_(SUBTITLE), creator="Engage", lang=style.language())
    canvas = type("ReportCanvas", (_NumberedCanvas,), {"footer": f"{title} · {_(SUBTITLE)}"[:110],
                                                       "page_words": _("Page %(page)s of %(pages)s")})
    doc.build(story, onFirstPage=_title_page, canvasmaker=canvas)
    return buf.getvalue()
