"""The blind check reads the answer and theme a coding form sends as plain numbers only.

A theme written with a digit ``int`` refuses ("²"), or an answer or theme number too big for the
database, was a server error (500); each is now refused (400) with what to do, and nothing is coded.
"""

import pytest
from sqlmodel import select

from surveys.models import EvaluationCode

from .helpers import analysed

TOO_BIG = "99999999999999999999999"


@pytest.fixture
def check(app, session, client):
    """A finished analysis with a blind check started: its address and the first answer to code."""
    run = analysed(app, session, client, 40)
    address = f"{run.base}/check"
    assert client.post(address, data={"action": "start", "size": "20"}).status_code == 302
    first = session.exec(select(EvaluationCode.id).where(EvaluationCode.run_id == run.id)
                         .order_by(EvaluationCode.position)).first()
    return address, first


#: (field, value sent, what the page says): one analysis serves them all (each is a refusal).
REFUSED = [
    ("theme", "²", "Choose one of the themes listed."),
    ("theme", "12٣", "Choose one of the themes listed."),
    ("theme", TOO_BIG, "Choose one of the themes listed."),
    ("theme", str(2**31), "Choose one of the themes listed."),
    ("code", TOO_BIG, "That answer is not in this check."),
    ("code", "²", "That answer is not in this check."),
    ("code", str(2**31), "That answer is not in this check."),
]


def test_a_coding_form_with_no_plain_number_is_refused_and_codes_nothing(client, session, check):
    address, first = check
    for field, sent, said in REFUSED:
        r = client.post(address, data={"code": str(first), "theme": "none", field: sent})
        assert r.status_code == 400, (field, sent, r.status_code)
        assert said in r.get_data(as_text=True), (field, sent)
    session.expire_all()
    assert not session.exec(select(EvaluationCode).where(EvaluationCode.coded)).first()
    # The same answer is still the one to code, and a proper choice codes it.
    assert f'name="code" value="{first}"' in client.get(address).get_data(as_text=True)
    assert client.post(address, data={"code": str(first), "theme": "none"}).status_code == 302
    session.expire_all()
    assert session.get(EvaluationCode, first).coded


def test_no_theme_chosen_shows_the_question_again_with_the_error(client, session, check):
    """It was a bare "400 Bad Request" page; now the coding page comes back with an error summary
    that links to the first choice and the error above the choices."""
    address, first = check
    r = client.post(address, data={"code": str(first)})
    assert r.status_code == 400
    page = r.get_data(as_text=True)
    said = "Choose a theme, or “None of these themes”."
    assert page.count(said) == 2, page  # once in the summary, once in the fieldset
    summary = page.split("nhsuk-error-summary__list")[1].split("</ul>")[0]
    assert 'href="#theme"' in summary and said in summary
    assert 'id="theme"' in page and 'id="theme-error"' in page
    assert "<title>Error: Blind check" in page
    assert f'name="code" value="{first}"' in page  # the same answer to code
    session.expire_all()
    assert not session.exec(select(EvaluationCode).where(EvaluationCode.coded)).first()
