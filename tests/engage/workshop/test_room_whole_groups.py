"""The room display moves only in whole groups: the room, watching the screen as a tablet is handed
in, never sees the figures change by one person's answers (differencing)."""

from ...factories import user
from .helpers import all_answers, post_response, sign_in


def _room(client, workshop):
    reply = client.get(f"/workshop/room/{workshop.join_code}/data.json")
    assert reply.status_code == 200
    return reply.json


def _send(client, app, workshop, before: str, table: int = 1, **extra):
    answers = all_answers()
    if before is None:
        del answers["q-connection-vs-speed-before"]
    else:
        answers["q-connection-vs-speed-before"] = before
    assert post_response(client, app, workshop, table=table, answers=answers, **extra).status_code == 201


def _before(data):
    pair = next(t for t in data["tradeoffs"] if t["key"] == "connection-vs-speed-before")
    return pair["before"]


def test_one_more_response_changes_nothing_shown_until_a_whole_group_more_arrive(
        client, app, session, demo, workshop):
    user(session, consultations=(demo,))
    sign_in(client, "fac@example.nhs.uk")
    for point in ("-3", "-3", "-2", "0", "1"):
        _send(client, app, workshop, point)
    first = _room(client, workshop)
    assert first["data"]["total"] == 5 and _before(first["data"])["answered"] == 5

    # A sixth person, at another table, with an answer nobody else gave: nothing on the display
    # moves, neither the bars, the average, the total nor the tables, and it says why.
    _send(client, app, workshop, "3", table=2)
    assert _room(client, workshop) == first
    for _ in range(3):
        _send(client, app, workshop, "3", table=2)
    assert _room(client, workshop) == first
    page = client.get(f"/workshop/room/{workshop.join_code}").data.decode()
    assert "Results from 5 people" in page
    assert "The results change only when another 5 people have sent their answers" in page

    # The tenth: five more have come, so the display moves on, by the five together.
    _send(client, app, workshop, "3", table=2)
    data = _room(client, workshop)["data"]
    assert data["total"] == 10
    before = _before(data)
    assert before["answered"] == 10 and {p["point"]: p["count"] for p in before["points"]}[3] == 5
    assert [(t["table"], t["count"]) for t in data["tables"]] == [(1, 5), (2, 5), (3, 0)]


def test_a_question_not_everyone_answered_moves_by_whole_groups_of_its_own_answers(
        client, app, session, demo, workshop):
    user(session, consultations=(demo,))
    sign_in(client, "fac@example.nhs.uk")
    for _ in range(5):
        _send(client, app, workshop, "-3")
    first = _before(_room(client, workshop)["data"])
    # Five more people, but only one of them answered this trade-off (a response queued offline
    # keeps its other pages): the people shown move on, this question's bars must not.
    _send(client, app, workshop, "3")
    for _ in range(4):
        _send(client, app, workshop, None, lenient=True)
    data = _room(client, workshop)["data"]
    assert data["total"] == 10
    assert _before(data) == first
