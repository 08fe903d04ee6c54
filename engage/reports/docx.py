"""The report as DOCX (python-docx): editable for a board paper, same content as the PDF."""

from __future__ import annotations

import io
import re

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from surveys.wording import gettext as _

from . import content, style
from .content import SUBTITLE

#: The report's language as Word names it (spelling and hyphenation follow it).
_LANGUAGE_TAGS = {"en": "en-GB", "cy": "cy-GB"}
FONT = "Arial"  # the NHS fallback for Frutiger, on every machine that opens Word files
TEXT_WIDTH_CM = 17.0


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


BLUE, DARK_BLUE, BLACK, GREY = (_rgb(style.NHS_BLUE), _rgb(style.NHS_DARK_BLUE), _rgb(style.NHS_BLACK),
                                _rgb("#4c6272"))


def _shade(cell, hex_colour: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), hex_colour.lstrip("#").upper())
    cell._tc.get_or_add_tcPr().append(shd)


def _borders(element, spec: dict[str, tuple[int, str]], tag: str) -> None:
    """Set borders on a cell (w:tcBorders) or paragraph (w:pBdr): {side: (eighths of a point, colour)}."""
    props = element.get_or_add_tcPr() if tag == "w:tcBorders" else element.get_or_add_pPr()
    box = OxmlElement(tag)
    for side, (size, colour) in spec.items():
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single" if size else "nil")
        edge.set(qn("w:sz"), str(size))
        edge.set(qn("w:space"), "6" if tag == "w:pBdr" else "0")
        edge.set(qn("w:color"), colour.lstrip("#").upper())
        box.append(edge)
    props.append(box)


def _field(paragraph, instruction: str, size: Pt, colour: RGBColor) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in; each part in its own run, all alike."""
    for kind in ("begin", "instr", "separate", "result", "end"):
        run = paragraph.add_run()
        run.font.size, run.font.color.rgb = size, colour
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {instruction} "
        elif kind == "result":
            el = OxmlElement("w:t")
            el.text = "1"
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run._r.append(el)


def _setup(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10.5)
    normal.font.color.rgb = BLACK
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    # The text's language, so that Word checks the spelling of a Welsh report in Welsh.
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), _LANGUAGE_TAGS.get(style.language(), "en-GB"))
    normal.element.rPr.append(lang)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name, size, colour, before in (("Title", 30, DARK_BLUE, 0), ("Subtitle", 18, BLUE, 0),
                                       ("Heading 1", 20, BLUE, 18), ("Heading 2", 14, BLUE, 14)):
        s = doc.styles[name]
        s.font.name, s.font.size, s.font.bold, s.font.italic = FONT, Pt(size), True, False
        s.font.color.rgb = colour
        rfonts = s.element.rPr.rFonts
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)
        rfonts.set(qn("w:ascii"), FONT)
        rfonts.set(qn("w:hAnsi"), FONT)
        s.paragraph_format.space_before = Pt(before)
        s.paragraph_format.space_after = Pt(6)
        s.paragraph_format.keep_with_next = True
    title = doc.styles["Title"]
    pPr = title.element.get_or_add_pPr()
    for old in pPr.findall(qn("w:pBdr")):
        pPr.remove(old)  # the default template draws a rule under the title
    for name in ("Title", "Subtitle"):
        rPr = doc.styles[name].element.get_or_add_rPr()
        for old in rPr.findall(qn("w:spacing")):
            rPr.remove(old)  # and spaces out the letters
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))


def _footer(section, text: str) -> None:
    section.different_first_page_header_footer = False
    footer = section.footer
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]
    p.text = ""
    # The template's Footer style has its own stops (centre 8.3 cm, right 16.5 cm): after a short
    # title the tab went to the centre one and "Page 2 of 9" sat in the middle of the page.
    p.style.paragraph_format.tab_stops.clear_all()
    tab = p.paragraph_format.tab_stops
    tab.add_tab_stop(Cm(TEXT_WIDTH_CM), alignment=2)  # right
    _borders(p._p, {"top": (4, "#d8dde0")}, "w:pBdr")
    # "Page 2 of 9" in the report's language, its numbers left to Word (fields).
    fields = {"%(page)s": "PAGE", "%(pages)s": "NUMPAGES"}
    words = [w for w in re.split(r"(%\(pages?\)s)", _("Page %(page)s of %(pages)s")) if w]
    words = ["\t" + words[0], *words[1:]] if words[0] not in fields else ["\t", *words]
    for part in (text, *words):
        if part in fields:
            _field(p, fields[part], Pt(8.5), GREY)
        else:
            run = p.add_run(part)
            run.font.size, run.font.color.rgb = Pt(8.5), GREY


def _para(doc, block: content.Para) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.keep_with_next = block.with_next or None
    if block.lead:
        p.add_run(block.lead).bold = True
    run = p.add_run(block.text)
    if block.muted:
        run.font.color.rgb = GREY
        run.font.size = Pt(9.5)


def _table(doc, block: content.Table) -> None:
    table = doc.add_table(rows=1, cols=len(block.header))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    total = sum(block.widths)
    widths = [Cm(TEXT_WIDTH_CM * w / total) for w in block.widths]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid, which LibreOffice follows
    props = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    props.append(layout)
    margins = OxmlElement("w:tblCellMar")
    for side, twips in (("top", 60), ("bottom", 60), ("left", 100), ("right", 100)):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(twips))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    props.append(margins)

    def fill(cells, values, header: bool, zebra: bool) -> None:
        for i, (cell, value) in enumerate(zip(cells, values, strict=True)):
            cell.width = widths[i]
            p = cell.paragraphs[0]
            p.paragraph_format.space_after = Pt(0)
            p.paragraph_format.line_spacing = 1.0
            if i in block.numeric:
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            run = p.add_run(value)
            run.font.size = Pt(9)
            if header:
                run.bold = True
                run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
                _shade(cell, style.NHS_BLUE)
            elif zebra:
                _shade(cell, style.NHS_PALE_GREY)
            _borders(cell._tc, {"bottom": (4, "#d8dde0"), "top": (0, "#ffffff"), "left": (0, "#ffffff"),
                                "right": (0, "#ffffff")}, "w:tcBorders")

    fill(table.rows[0].cells, block.header, True, False)
    _row_flag(table.rows[0], "w:tblHeader")  # repeated at the top of each page
    for n, row in enumerate(block.rows):
        fill(table.add_row().cells, row, False, n % 2 == 1)
    for row in table.rows:
        _row_flag(row, "w:cantSplit")  # a theme's name and its figures stay on one page
    doc.add_paragraph().paragraph_format.space_after = Pt(2)


def _row_flag(row, tag: str) -> None:
    """Switch on a row property (w:tblHeader, w:cantSplit: a choice in Word's schema, in any order)."""
    flag = OxmlElement(tag)
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _quote(doc, text: str) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.left_indent = Cm(0.5)
    p.paragraph_format.space_after = Pt(5)
    _borders(p._p, {"left": (24, style.NHS_BLUE)}, "w:pBdr")
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), style.NHS_PALE_GREY.lstrip("#").upper())
    p._p.get_or_add_pPr().append(shd)
    p.add_run(f"“{text}”").italic = True


def _figure(doc, block: content.Figure) -> None:
    width = TEXT_WIDTH_CM
    limit = (29.7 - 4) * 0.62
    if width * block.chart.aspect > limit:
        width = limit / block.chart.aspect
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.keep_with_next = bool(block.caption)
    run = p.add_run()
    shape = run.add_picture(io.BytesIO(block.chart.png), width=Cm(width))
    shape._inline.docPr.set("descr", style.clean(block.chart.alt)[:1500])  # alt text for screen readers
    if block.caption:
        cap = doc.add_paragraph()
        r = cap.add_run(block.caption)
        r.font.size, r.font.color.rgb = Pt(9), GREY


def _title(doc, block: content.Title) -> None:
    band = doc.add_paragraph()
    band.paragraph_format.space_after = Pt(110)
    r = band.add_run(f"Engage · {_('NHS public engagement')}")
    r.bold, r.font.color.rgb, r.font.size = True, BLUE, Pt(12)
    doc.add_paragraph(block.title, style="Title")
    doc.add_paragraph(block.subtitle, style="Subtitle").paragraph_format.space_after = Pt(24)
    for fact in block.facts:
        doc.add_paragraph().add_run(fact).font.size = Pt(13)
    note = doc.add_paragraph()
    note.paragraph_format.space_before = Pt(36)
    r = note.add_run(block.note)
    r.font.size, r.font.color.rgb = Pt(9.5), GREY


def _add(doc, block, state: dict) -> None:
    if state.get("break") and not isinstance(block, content.Heading | content.Keep | content.PageBreak):
        state.pop("break")
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    if isinstance(block, content.Title):
        _title(doc, block)
    elif isinstance(block, content.PageBreak):
        if state.setdefault("sections", 0) == 0:
            # The title page has no footer; the rest of the report has page numbers.
            doc.add_section(WD_SECTION.NEW_PAGE)
            state["sections"] = 1
        else:
            state["break"] = True
            return
    elif isinstance(block, content.Heading):
        heading = doc.add_heading(block.text, level=block.level)
        heading.paragraph_format.page_break_before = state.pop("break", False)
    elif isinstance(block, content.Para):
        _para(doc, block)
    elif isinstance(block, content.Bullets):
        for item in block.items:
            doc.add_paragraph(item, style="List Bullet").paragraph_format.space_after = Pt(3)
    elif isinstance(block, content.Quote):
        _quote(doc, block.text)
    elif isinstance(block, content.Table):
        _table(doc, block)
    elif isinstance(block, content.Figure):
        _figure(doc, block)
    elif isinstance(block, content.Keep):
        before = len(doc.paragraphs)
        for b in block.blocks:
            _add(doc, b, state)
        for p in doc.paragraphs[before:-1]:
            p.paragraph_format.keep_with_next = True


def render(blocks: list[content.Block], title: str) -> bytes:
    title = style.clean(title)  # as every block's text is (content.py): a Word file holds XML only
    doc = Document()
    _setup(doc)
    subtitle = _(SUBTITLE)
    doc.core_properties.title = f"{title}: {subtitle}"
    doc.core_properties.author = "Engage"
    doc.core_properties.subject = subtitle
    doc.core_properties.language = _LANGUAGE_TAGS.get(style.language(), "en-GB")
    state: dict = {}
    for block in blocks:
        _add(doc, block, state)
    for section in doc.sections[1:]:
        _footer(section, f"{title} · {subtitle}")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
