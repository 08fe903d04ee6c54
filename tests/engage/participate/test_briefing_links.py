"""A link in a briefing or in the consent text ("Read our [privacy notice](https://…)") was dropped
with its address everywhere, and the paper version printed it, and any Markdown table, as typed.
Online it is a link; on the shared kiosk tablet (where a tap would leave the kiosk) and on paper the
address is written out after its words; a table on paper is a table."""

from __future__ import annotations

import io
import re
from html import unescape

from pypdf import PdfReader

from ...factories import consultation_from
from ...journey_helpers import begin
from ..auth.conftest import sign_in, staff  # noqa: F401  (fixture)
from ..workshop.helpers import make_workshop

NOTICE = "https://www.nhs.uk/our-policies/privacy?from=engage&v=2"
CONSENT = f"Read our [privacy notice]({NOTICE}). Write to [the team](mailto:engage@example.nhs.uk)."
BODY = f"""Before you start, see [how scans are read]({NOTICE}) or [this](javascript:alert(1)).

| Option | What it means |
|---|---|
| Faster | A computer reads it first |
"""
CONSULTATION = {
    "slug": "links", "title": "Links", "summary": "Links and tables.", "consent_text": CONSENT,
    "pages": [{"key": "read", "kind": "briefing", "title": "Read this", "body": BODY},
              {"key": "ask", "title": "Your view", "kind": "questions", "questions": [
                  {"key": "why", "type": "text", "prompt": "Tell us why"}]}],
}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_online_a_link_is_a_link_and_a_dangerous_one_only_words(client, session):
    consultation_from(session, CONSULTATION)
    consent = client.get("/c/links/consent").get_data(as_text=True)
    assert re.search(r'<a href="https://www\.nhs\.uk/our-policies/privacy\?from=engage&amp;v=2"'
                     r'[^>]*>privacy notice</a>', consent), consent
    assert '<a href="mailto:engage@example.nhs.uk"' in consent
    page = client.get(begin(client, "links")).get_data(as_text=True)
    assert re.search(r'<a href="https://www\.nhs\.uk/[^"]*"[^>]*>how scans are read</a>', page)
    assert "javascript:" not in page and "or this." in _text(page)


def test_on_the_kiosk_and_on_paper_the_address_is_written_out(client, session, staff):  # noqa: F811
    consultation = consultation_from(session, CONSULTATION)
    workshop = make_workshop(session, consultation)
    kiosk = client.get(f"/workshop/k/{workshop.join_code}/1").get_data(as_text=True)
    assert f"privacy notice ({NOTICE})" in _text(kiosk)
    assert "the team (engage@example.nhs.uk)" in _text(kiosk)
    assert f"how scans are read ({NOTICE})" in _text(kiosk)
    assert 'href="https://www.nhs.uk/our' not in kiosk and "javascript:" not in kiosk

    sign_in(client, staff("lead@example.nhs.uk", "facilitator", [consultation]).email)
    pdf = client.get("/manage/c/links/paper.pdf").data
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert "privacy notice (https://www.nhs.uk/our-policies/privacy?from=engage&v=2)" \
        in text.replace("- ", "-").replace(" ?", "?"), text
    assert "how scans are read (https://www.nhs.uk" in text
    # The table is drawn as one: its words, no pipes or dashes of Markdown.
    assert "|" not in text and "---" not in text
    assert "Option What it means" in text and "Faster A computer reads it first" in text
