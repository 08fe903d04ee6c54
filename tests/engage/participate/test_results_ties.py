"""The public results page when answers tie at the top: every tied answer is named, not only the
first, so a 50/50 split is not reported as a win for one side."""

import pytest

from ...factories import consultation_from
from ...journey_helpers import complete

SLUG = "ties"
OPTIONS = [{"key": "a", "label": "Apples"}, {"key": "b", "label": "Bananas"},
           {"key": "c", "label": "Cherries"}]
DEFINITION = {
    "slug": SLUG, "title": "Ties", "summary": "Ties.", "consent_text": "You agree.",
    "min_group_size": 5, "show_results": True,
    "pages": [{"key": "fruit", "kind": "questions", "title": "Fruit", "questions": [
        {"key": "pick", "type": "choice", "prompt": "Pick one", "config": {"options": OPTIONS}},
        {"key": "some", "type": "multi", "prompt": "Pick some", "config": {"options": OPTIONS}},
        {"key": "order", "type": "rank", "prompt": "Put in order", "config": {"options": OPTIONS}},
        {"key": "budget", "type": "allocate", "prompt": "Share 100 points",
         "config": {"options": OPTIONS, "total": 100, "unit": "points"}}]}],
}


def answers(first: str, second: str) -> dict:
    return {"fruit": {"q-pick": first, "q-some": [first], "q-order-" + first: "1", "q-order-" + second: "2",
                      "q-order-c": "3", "q-budget-a": "50", "q-budget-b": "50"}}


@pytest.fixture
def tied(app, session, client):
    """Five people chose Apples first, five Bananas (five: fewer would hide the shares); everyone
    split the budget 50/50."""
    consultation_from(session, DEFINITION)
    for first, second in (("a", "b"),) * 5 + (("b", "a"),) * 4:
        complete(app.test_client(), slug=SLUG, answers=answers(first, second))
    complete(client, slug=SLUG, answers=answers("b", "a"))


def test_a_tie_at_the_top_names_every_tied_answer(client, tied):
    page = " ".join(client.get(f"/c/{SLUG}/results").data.decode().split())
    assert "Chosen equally often: Apples and Bananas (50% of people each)." in page
    assert "Included equally often: Apples and Bananas (50% of people each)." in page
    assert "Put highest overall, equally: Apples and Bananas." in page
    assert "The most points went equally to: Bananas and Apples." in page
    for one_winner in ("Most common answer:", "Most often included:", "Put highest overall:",
                       "Most points went to:"):
        assert one_winner not in page


def test_a_tie_is_said_in_welsh(client, tied):
    page = " ".join(client.get(f"/c/{SLUG}/results?lang=cy").data.decode().split())
    assert "Wedi&#39;u dewis yr un mor aml: Apples a Bananas (50% o bobl yr un)." in page
