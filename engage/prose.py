"""A facilitator's Markdown (briefings, consent text, what we did) as safe HTML, for every place it
is shown: the online journey, the workshop kiosk and the consultation on paper.

Only simple text structure survives: paragraphs, headings, lists, emphasis, quotes, tables and
links to web or email addresses; no other tag, no attribute but a link's address, no script.
A link is a link online. On a shared kiosk tablet one tap would leave the kiosk (and the person's
reference code with it), and paper cannot be tapped, so there the address is written out after the
link's words instead: "privacy notice (https://…)". Either way nothing the facilitator wrote is lost.
"""

from __future__ import annotations

import re
from functools import lru_cache

import markdown
import nh3

TAGS = {"p", "h2", "h3", "ul", "ol", "li", "strong", "em", "blockquote", "br",
        "table", "thead", "tbody", "tr", "th", "td", "a"}
_SCHEMES = {"https", "http", "mailto"}
# A link as nh3 leaves it: its address (already escaped), then its words.
_LINK = re.compile(r'<a href="([^"]*)"[^>]*>(.*?)</a>', re.S)
_MAILTO = "mailto:"
# A link whose address nh3 took away (a "javascript:" one): its words only.
_DEAD_LINK = re.compile(r"<a(?![^>]*\shref=)[^>]*>(.*?)</a>", re.S)


@lru_cache(maxsize=512)
def prose_html(text: str, links: bool = True) -> str:
    """``text`` (Markdown) as sanitised HTML; with ``links`` false, each link's address is written
    out after its words. Kept by the text itself: an edited text is another key."""
    html = markdown.markdown(text or "", extensions=["tables"], output_format="html")
    html = nh3.clean(html, tags=TAGS, attributes={"a": {"href"}}, url_schemes=_SCHEMES,
                     link_rel="noopener noreferrer")
    html = _DEAD_LINK.sub(r"\1", html)
    return html if links else _LINK.sub(_written_out, html)


def _written_out(match) -> str:
    address, words = match.groups()
    shown = address.removeprefix(_MAILTO)
    if not address or re.sub(r"<[^>]+>", "", words).strip() in (address, shown):
        return words  # the words are the address already (or there is none to give)
    return f"{words} ({shown})"
