"""Pages that build table cells and cards from HTML show links and emphasis, not escaped markup.

Escaping a value inside a string concatenation made the whole string escaped once the NHS.UK
macros were autoescaped; these pages are where that showed as "<a href=..." in the browser.
"""

from __future__ import annotations

import re

from sqlmodel import select

from surveys.models import AnalysisRun, Question

from ..factories import PASSWORD, signed_in_lead_with_answers, user
from .workshop.helpers import make_workshop

ESCAPED_MARKUP = re.compile(r"&lt;/?(a|strong|br|span|code|q|svg)\b")


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    html = response.get_data(as_text=True)
    assert not ESCAPED_MARKUP.search(html), (path, ESCAPED_MARKUP.search(html).group(0))
    return html


def test_workspace_tables_and_cards_render_their_html(app, client, session):
    consultation = signed_in_lead_with_answers(app, session, client, 40)
    workshop = make_workshop(session, consultation, name="Leeds <General>")
    qids = [q.id for q in session.exec(select(Question).where(Question.type == "text")).all()]
    client.post(f"/manage/{consultation.slug}/themes/", data={"questions": qids})
    run = session.exec(select(AnalysisRun)).one()

    html = page(client, "/manage/")
    assert f'<a href="/manage/c/{consultation.slug}/">Technology in the NHS' in html
    page(client, f"/manage/c/{consultation.slug}/")
    html = page(client, f"/workshop/manage/c/{consultation.slug}/")
    assert f'<a href="/workshop/manage/w/{workshop.id}/">Leeds &lt;General&gt;</a>' in html
    html = page(client, f"/manage/{consultation.slug}/themes/{run.id}")
    assert re.search(r"<strong>\d+ answers from \d+ people</strong>", html)
    assert re.search(r'<dd class="nhsuk-summary-list__value"\s*>\s*<q>', html)  # a card's quote
    page(client, f"/manage/{consultation.slug}/themes/")
    page(client, f"/manage/c/{consultation.slug}/responses")

    user(session, "admin@example.nhs.uk", "admin")
    client.post("/account/sign-out")
    client.post("/account/sign-in", data={"email": "admin@example.nhs.uk", "password": PASSWORD})
    html = page(client, "/manage/admin/users")
    assert re.search(r'<a href="/manage/admin/users/\d+">lead@example.nhs.uk</a>', html)
    html = page(client, "/manage/admin/audit")
    assert '<code class="engage-detail">{' in html


# The NHS.UK components our templates draw, and the only places one is written by hand: the
# wrapper of the builder's two composite fields (a list of rows; answers grouped by question),
# which no single macro draws. Everything else comes from the nhsuk-frontend-jinja macros, so a
# refresh of the frontend (scripts/refresh-nhsuk-frontend.sh) reaches every page.
HAND_WRITTEN = re.compile(r'class="(nhsuk-(?:table|card|button|label|hint|error-message|input|fieldset|'
                          r'form-group|summary-list|tag|details|inset-text|warning-callout|panel|radios|'
                          r'checkboxes|select|textarea|back-link|pagination|action-link)(?![a-z-]))')
ALLOWED = {("facilitate/_rows.html", "nhsuk-form-group"), ("facilitate/_fields.html", "nhsuk-form-group")}


def test_templates_draw_nhs_components_with_the_frontends_macros():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    found = {(str(path.relative_to(root)), match.group(1))
             for path in root.rglob("*.html") for match in HAND_WRITTEN.finditer(path.read_text())}
    assert found - ALLOWED == set()
    assert ALLOWED <= found  # the allowance is still needed (drop it when it is not)
