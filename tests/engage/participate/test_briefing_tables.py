"""A table written in Markdown in a briefing shows as an NHS.UK table: it showed as lines of pipes
("| Option | What it means |"), which a screen reader reads out symbol by symbol."""

from __future__ import annotations

import re
from html import unescape

from ..auth.conftest import staff  # noqa: F401  (fixture)
from ..facilitate.conftest import build_through_forms, facilitator_client  # noqa: F401

BODY = """Two ways to read your scan.

| Option | What it means for you |
|---|:---:|
| **Faster** | A computer reads it first <script>alert(1)</script> |
| Human | A radiologist reads it |

<table><tr><td onclick="x()">Typed as HTML</td></tr></table>
"""

CONSULTATION = {"slug": "tables", "title": "Tables", "pages": [
    {"key": "read", "kind": "briefing", "title": "Read this", "body": BODY},
]}


def test_a_markdown_table_in_a_briefing_is_an_nhs_table(facilitator_client):  # noqa: F811
    build_through_forms(facilitator_client, CONSULTATION)
    response = facilitator_client.get("/manage/c/tables/preview/read")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "|---|" not in html and "| Option |" not in html
    table = html.split('class="nhsuk-scroll"', 1)[1].split("</table>", 1)[0]
    headers = re.findall(r'<th\s+class="nhsuk-table__header"\s+scope="col"[^>]*>\s*(.*?)\s*</th>',
                         table, re.S)
    assert headers == ["Option", "What it means for you"]
    rows = [re.findall(r'<td\s+class="nhsuk-table__cell"[^>]*>\s*(.*?)\s*</td>', row, re.S)
            for row in re.findall(r'<tr\s+class="nhsuk-table__row">(.*?)</tr>', table, re.S)[1:]]
    assert rows == [["<strong>Faster</strong>", "A computer reads it first"],
                    ["Human", "A radiologist reads it"]]
    # Nothing hostile gets through, and a table typed as HTML keeps its words but no markup.
    assert "<script>alert(1)" not in html and "onclick" not in html
    assert "Typed as HTML" in unescape(html)
    assert html.count("<table") == 1
