"""The report as PDF: A4, NHS blue headings, page numbers in the footer, and tagged for screen
readers (PDF/UA-1).

A board paper is often published on a trust's website, where the accessibility regulations ask
that a PDF be tagged: its headings, paragraphs, lists and tables marked as such, in reading
order, its language given and every chart described. The report's blocks are written as HTML
and drawn by WeasyPrint, which tags what it draws (reportlab, used before, could not). Nothing
is fetched while drawing: the charts are inline and only the report's own font files are read.
"""

from __future__ import annotations

import base64
import re
from html import escape
from pathlib import Path

from weasyprint import HTML
from weasyprint.urls import URLFetcher

from surveys.wording import gettext as _

from . import content, style
from .content import SUBTITLE

#: The page's width and margins (cm): the room a chart may take.
PAGE_W, PAGE_H, MARGIN = 21.0, 29.7, 2.0
FRAME_W = PAGE_W - 2 * MARGIN
GREY = "#4c6272"  # NHS secondary text colour
BORDER = "#d8dde0"


def _text(value: str) -> str:
    return escape(style.drawable(style.clean(value)), quote=True)


def css_string(value: str) -> str:
    """``value`` as a quoted CSS string (for a footer's generated content), safe inside the
    document's <style> element: a title holding "</style>" cannot end it."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return '"' + escaped.replace("<", "\\3c ").replace(">", "\\3e ") + '"'


def page_numbers(words: str) -> str:
    """"Page %(page)s of %(pages)s" (or "Page %(number)s") in the document's language, as CSS
    content with page counters."""
    parts = re.split(r"(%\((?:pages|page|number)\)s)", words)
    return " ".join("counter(pages)" if p == "%(pages)s" else
                    "counter(page)" if p in ("%(page)s", "%(number)s") else css_string(p)
                    for p in parts if p)


def font_faces() -> str:
    """CSS for the documents' font (Liberation Sans, or DejaVu Sans: ``style.font_files``)."""
    fonts = style.font_files()
    return "".join(
        f"@font-face {{ font-family: EngageSans; src: url({Path(path).as_uri()}); "
        f"font-weight: {weight}; font-style: {italic}; }}\n"
        for path, weight, italic in ((fonts["regular"], 400, "normal"), (fonts["bold"], 700, "normal"),
                                     (fonts["italic"], 400, "italic")))


def _stylesheet(footer: str) -> str:
    # (Words to translate stay out of f-strings, where the message extractor cannot see them.)
    numbers = page_numbers(_("Page %(page)s of %(pages)s"))
    return font_faces() + f"""
@page {{
  size: A4; margin: {MARGIN}cm;
  @bottom-left {{ content: {css_string(footer)}; width: 75%; font: 8.5pt EngageSans; color: {GREY};
                  border-top: 0.6pt solid {BORDER}; vertical-align: top; padding-top: 0.3cm; }}
  @bottom-right {{ content: {numbers}; width: 25%; font: 8.5pt EngageSans; color: {GREY};
                   border-top: 0.6pt solid {BORDER}; vertical-align: top; padding-top: 0.3cm; }}
}}
@page :first {{ @bottom-left {{ content: none; border: none; }}
               @bottom-right {{ content: none; border: none; }} }}
html {{ font-family: EngageSans; font-size: 10.5pt; line-height: 15pt; color: {style.NHS_BLACK}; }}
body {{ margin: 0; }}
p {{ margin: 0 0 7pt; }}
h1, h2, h3 {{ font-weight: 700; color: {style.NHS_BLUE}; break-after: avoid; }}
h1 {{ font-size: 30pt; line-height: 36pt; color: {style.NHS_DARK_BLUE}; margin: 0 0 14pt; }}
h2 {{ font-size: 20pt; line-height: 25pt; margin: 4pt 0 10pt; }}
h3 {{ font-size: 14pt; line-height: 18pt; margin: 14pt 0 5pt; }}
.band {{ position: absolute; top: -{MARGIN}cm; left: -{MARGIN}cm; width: {PAGE_W}cm; height: 3.2cm;
         background: {style.NHS_BLUE}; color: white; }}
.band p {{ position: absolute; top: 1.3cm; margin: 0; font-size: 10.5pt; }}
.band .name {{ left: {MARGIN}cm; font-size: 16pt; font-weight: 700; }}
.band .kind {{ right: {MARGIN}cm; }}
.title {{ padding-top: 4.2cm; }}
.subtitle {{ font-size: 18pt; line-height: 23pt; font-weight: 700; color: {style.NHS_BLUE};
             margin-bottom: 28pt; }}
.fact {{ font-size: 13pt; line-height: 19pt; margin-bottom: 2pt; }}
.note {{ margin-top: 1.2cm; }}
.muted {{ color: {GREY}; font-size: 9.5pt; line-height: 13.5pt; }}
.with-next {{ break-after: avoid; }}
.keep, figure {{ break-inside: avoid; }}
.break {{ break-before: page; }}
ul {{ margin: 0 0 6pt; padding-left: 14pt; }}
li {{ margin-bottom: 3pt; }}
li::marker {{ color: {style.NHS_BLUE}; }}
blockquote {{ margin: 0 0 5pt 0.4cm; padding: 6pt 8pt 6pt 10pt; background: {style.NHS_PALE_GREY};
              border-left: 3pt solid {style.NHS_BLUE}; font-style: italic; break-inside: avoid; }}
blockquote p {{ margin: 0; }}
table {{ width: 100%; border-collapse: collapse; margin-bottom: 10pt; font-size: 9pt;
         line-height: 11.5pt; }}
th {{ background: {style.NHS_BLUE}; color: white; font-weight: 700; text-align: left; }}
th, td {{ padding: 4pt 5pt; vertical-align: top; }}
td {{ border-bottom: 0.5pt solid {BORDER}; }}
tbody tr:nth-child(even) td {{ background: {style.NHS_PALE_GREY}; }}
tr {{ break-inside: avoid; }}
.number {{ text-align: right; }}
figure {{ margin: 4pt 0 6pt; }}
figure img {{ display: block; }}
figcaption {{ font-size: 9pt; line-height: 12pt; color: {GREY}; margin-top: 4pt; }}
"""


def _title(block: content.Title) -> str:
    kind = _("NHS public engagement")
    facts = "".join(f'<p class="fact">{_text(f)}</p>' for f in block.facts)
    return (f'<div class="band"><p class="name">Engage</p>'
            f'<p class="kind">{_text(kind)}</p></div>'
            f'<div class="title"><h1>{_text(block.title)}</h1>'
            f'<p class="subtitle">{_text(block.subtitle)}</p>{facts}'
            f'<p class="muted note">{_text(block.note)}</p></div>')


def _table(block: content.Table) -> str:
    total = sum(block.widths)
    cols = "".join(f'<col style="width: {100 * w / total:.2f}%">' for w in block.widths)

    def cells(values, tag):
        scope = ' scope="col"' if tag == "th" else ""
        return "".join(f'<{tag}{scope}{" class=number" if i in block.numeric else ""}>{_text(v)}</{tag}>'
                       for i, v in enumerate(values))

    rows = "".join(f"<tr>{cells(row, 'td')}</tr>" for row in block.rows)
    return (f"<table><colgroup>{cols}</colgroup><thead><tr>{cells(block.header, 'th')}</tr></thead>"
            f"<tbody>{rows}</tbody></table>")


def _figure(block: content.Figure) -> str:
    width = FRAME_W
    limit = (PAGE_H - 2 * MARGIN) * 0.62
    if width * block.chart.aspect > limit:
        width = limit / block.chart.aspect
    data = base64.b64encode(block.chart.png).decode("ascii")
    caption = f"<figcaption>{_text(block.caption)}</figcaption>" if block.caption else ""
    return (f'<figure><img src="data:image/png;base64,{data}" alt="{_text(block.chart.alt)}" '
            f'style="width: {width:.2f}cm; height: {width * block.chart.aspect:.2f}cm">{caption}</figure>')


def _html(block) -> str:
    if isinstance(block, content.Title):
        return _title(block)
    if isinstance(block, content.PageBreak):
        return '<div class="break"></div>'
    if isinstance(block, content.Heading):
        tag = "h2" if block.level == 1 else "h3"  # the report's title is the one h1
        return f"<{tag}>{_text(block.text)}</{tag}>"
    if isinstance(block, content.Para):
        classes = " ".join(c for c, on in (("muted", block.muted), ("with-next", block.with_next)) if on)
        lead = f"<strong>{_text(block.lead)}</strong>" if block.lead else ""
        opening = f'<p class="{classes}">' if classes else "<p>"
        return f"{opening}{lead}{_text(block.text)}</p>"
    if isinstance(block, content.Bullets):
        return "<ul>" + "".join(f"<li>{_text(i)}</li>" for i in block.items) + "</ul>"
    if isinstance(block, content.Quote):
        return f"<blockquote><p>“{_text(block.text)}”</p></blockquote>"
    if isinstance(block, content.Table):
        return _table(block)
    if isinstance(block, content.Figure):
        return _figure(block)
    if isinstance(block, content.Keep):
        return '<div class="keep">' + "".join(_html(b) for b in block.blocks) + "</div>"
    raise TypeError(f"Unknown block {block!r}")


def document(blocks: list[content.Block], title: str) -> str:
    """The report as one HTML document, as it is drawn."""
    name = f"{title}: {_(SUBTITLE)}"
    footer = f"{title} · {_(SUBTITLE)}"[:110]
    return (f'<!DOCTYPE html><html lang="{style.language()}"><head><meta charset="utf-8">'
            f"<title>{_text(name)}</title><meta name=\"author\" content=\"Engage\">"
            f'<meta name="description" content="{_text(_(SUBTITLE))}">'
            f'<meta name="generator" content="Engage"><style>{_stylesheet(footer)}</style></head>'
            f"<body>{''.join(_html(b) for b in blocks)}</body></html>")


class _FontsOnly(URLFetcher):
    """Reads the documents' own font files and inline data; refuses anything else (no downloads)."""

    def fetch(self, url, headers=None):
        allowed = {Path(p).as_uri() for p in style.font_files().values()}
        if not (url.startswith("data:") or url in allowed):
            raise ValueError(f"Engage's PDFs read no outside files: {url}")
        return super().fetch(url, headers)


def draw(html: str) -> bytes:
    """A whole HTML document as a PDF tagged for screen readers (PDF/UA-1)."""
    return HTML(string=html, url_fetcher=_FontsOnly()).write_pdf(pdf_variant="pdf/ua-1")


def render(blocks: list[content.Block], title: str) -> bytes:
    return draw(document(blocks, title))
