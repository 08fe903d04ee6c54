"""A viewer (read-only) is not shown forms only a facilitator may send.

The blind check's coding form let a viewer choose a theme for an answer and lose it to a refusal
(403), and a failed analysis offered them "Try again", refused the same way. They now read who
can do it instead, in English and Welsh; a facilitator still has the forms.
"""

import re

import pytest

from surveys.wording import N_, said

from ...factories import PASSWORD, running_and_failed_runs, user
from .helpers import analysed

CODE_ONLY = ("Only facilitators can code answers in the blind check. When they have coded them all, "
             "this page shows how often they agreed with Engage.")
CODE_ONLY_CY = ("Dim ond hwyluswyr all roi atebion mewn themâu yn y gwiriad dall. Pan fyddan nhw wedi "
                "gwneud pob un, mae'r dudalen hon yn dangos pa mor aml roedden nhw'n cytuno ag Engage.")
RETRY_ONLY, RETRY_ONLY_CY = ("Only facilitators can try an analysis again.",
                             "Dim ond hwyluswyr all roi cynnig arall ar ddadansoddiad.")


@pytest.fixture
def pages(app, session, client):
    """A finished analysis with a blind check started, a failed analysis, and a signed-in viewer."""
    run = analysed(app, session, client, 40)
    assert client.post(f"{run.base}/check", data={"action": "start", "size": "20"}).status_code == 302
    from surveys.models import AnalysisRun

    _running, failed = running_and_failed_runs(session, session.get(AnalysisRun, run.id), said(N_(
        "This analysis stopped without finishing, perhaps because the server restarted. Try it again.")))
    user(session, "viewer@example.nhs.uk", "viewer", (run.consultation,))
    viewer = app.test_client()
    r = viewer.post("/account/sign-in", data={"email": "viewer@example.nhs.uk", "password": PASSWORD})
    assert r.status_code == 302
    themes = f"/manage/{run.consultation.slug}/themes"
    return {"check": f"{run.base}/check", "failed": f"{themes}/{failed.id}"}, viewer


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def _main(page: str) -> str:
    """The page's own content: the header's sign-out form is on every page."""
    return page.split('id="maincontent"', 1)[1].split("</main>", 1)[0]


def test_a_viewer_reads_the_answer_to_code_but_is_given_no_form(client, pages):
    addresses, viewer = pages
    page = _text(viewer.get(addresses["check"]))
    assert "Which theme does this answer belong to?" in page
    assert "<form" not in _main(page) and 'name="theme"' not in page
    assert CODE_ONLY in page
    page = _text(viewer.get(addresses["check"] + "?lang=cy"))
    assert CODE_ONLY_CY in page and 'name="theme"' not in page

    page = _text(client.get(addresses["check"]))
    assert 'name="code"' in page and 'name="theme"' in page and "Save and show the next answer" in page
    assert CODE_ONLY not in page


def test_a_viewer_is_told_who_can_retry_a_failed_analysis(client, pages):
    addresses, viewer = pages
    page = _text(viewer.get(addresses["failed"]))
    assert "The analysis did not finish" in page
    assert "<form" not in _main(page) and "Try again" not in page
    assert RETRY_ONLY in page
    page = _text(viewer.get(addresses["failed"] + "?lang=cy"))
    assert RETRY_ONLY_CY in page and "Rhowch gynnig arall arni</button>" not in page

    page = _text(client.get(addresses["failed"]))
    assert "/retry" in page and "Try again" in page and RETRY_ONLY not in page
