"""Each theme says, in words, how its people answered the related trade-off (board, matrix, report)."""

import io
import re
from html import unescape

import pytest
from docx import Document
from sqlmodel import select

from surveys import theme_tally
from surveys.models import AnalysisRun, Answer, Consultation, Question, Respondent, Theme, ThemeAssignment

from ...factories import signed_in_lead_with_answers
from .helpers import analysed


@pytest.fixture
def run(app, session, client):
    return analysed(app, session, client, 80)


def people(session, theme_id: int) -> set[int]:
    return set(session.exec(select(Answer.respondent_id)
                            .join(ThemeAssignment, ThemeAssignment.answer_id == Answer.id)
                            .where(ThemeAssignment.theme_id == theme_id)))


def set_tradeoff(session, key: str, values: dict[int, int], default: int) -> None:
    """Sent answers changed here, as no one can change them: the runs' kept counts go too."""
    q = session.exec(select(Question).where(Question.key == key)).one()
    for a in session.exec(select(Answer).where(Answer.question_id == q.id)):
        a.value = values.get(a.respondent_id, default)
        session.add(a)
    for run_id in session.exec(select(AnalysisRun.id)).all():
        theme_tally.forget_run(session, run_id)


#: How the sentences name the trade-off the tests lean on (it is asked again at the end).
ASKED = "who answered “Human connection or faster diagnosis (at the start)”"


def in_welsh(session) -> None:
    """The consultation is offered in Welsh too (the demo gives its trade-offs' Welsh)."""
    consultation = session.exec(select(Consultation)).one()
    consultation.languages = ["en", "cy"]
    session.add(consultation)
    session.commit()


def docx_text(body: bytes) -> str:
    doc = Document(io.BytesIO(body))
    return "\n".join(p.text for p in doc.paragraphs)


def trade_off_rows(body: bytes) -> list[list[str]]:
    """The First, Both, Second and People cells of every theme's table of trade-offs in a report
    (it counts people, as the stance sentence above it does)."""
    doc = Document(io.BytesIO(body))
    return [[c.text for c in row.cells[1:]] for t in doc.tables
            if [c.text for c in t.rows[0].cells] == ["Trade-off", "First", "Both", "Second", "People"]
            for row in t.rows[1:] if row.cells[1].text]



def largest_theme(session, run):
    """The run's broad theme with the most people, and its people's ids in order."""
    themes = session.exec(select(Theme).where(Theme.run_id == run.id, Theme.parent_id.is_(None))).all()
    theme = max(themes, key=lambda t: len(people(session, t.id)))
    return theme, sorted(people(session, theme.id))

def test_the_biggest_theme_says_how_its_people_divide(client, session, run):
    theme, who = largest_theme(session, run)
    n = len(who)
    right = round(0.61 * n)
    assert n >= 13 and n - right >= 5
    everyone = session.exec(select(Respondent.id)).all()
    # Everyone else is in the middle on every trade-off; this theme's people lean on one.
    for key in ("connection-vs-speed-before", "new-vs-existing", "foundations-vs-quick-wins",
                "commit-vs-evaluate", "connection-vs-speed-after"):
        set_tradeoff(session, key, {}, 0)
    leaning = {r: 2 if i < right else -1 for i, r in enumerate(who)}
    set_tradeoff(session, "connection-vs-speed-before", leaning, 0)
    session.commit()
    assert len(everyone) == 80
    expected = (f"Most of the {n} people in this theme {ASKED} favoured faster diagnosis "
                f"({round(100 * right / n)}%); {round(100 * (n - right) / n)}% favoured human connection.")
    board = client.get(run.base).get_data(as_text=True)
    assert expected in board
    # The board, the matrix and the report name the same sentence the same way: it is the
    # trade-off they differ most on, not their only stance ("Where they stand" was the board's).
    assert "Where they differ most from everyone" in board and "Where they stand" not in board
    matrix = client.get(f"{run.base}/matrix").get_data(as_text=True)
    assert expected in matrix and "Where they differ most from everyone" in matrix
    assert "Where its people stand" not in matrix
    report = docx_text(client.get(f"{run.base}/report.docx").data)
    assert f"Where they differ most from everyone: {expected}" in report


def test_small_sides_are_not_given_away(client, session, run):
    theme, who = largest_theme(session, run)
    for key in ("new-vs-existing", "foundations-vs-quick-wins", "commit-vs-evaluate"):
        set_tradeoff(session, key, {}, 0)
    # Two people favour faster diagnosis: a count that small is never given, nor the share that
    # would give it away.
    two = {r: 3 if i < 2 else -3 for i, r in enumerate(who)}
    set_tradeoff(session, "connection-vs-speed-before", two, 1)
    session.commit()
    expected = (f"Most of the {len(who)} people in this theme {ASKED} favoured human connection; "
                f"fewer than 5 favoured faster diagnosis.")
    assert expected in client.get(run.base).get_data(as_text=True)
    # With a third side, the two smaller ones are only given together. (Five of them, so the
    # largest side is a majority in a theme of 11 or more.)
    assert len(who) >= 11
    three = {r: 3 if i < 2 else 0 if i < 5 else -3 for i, r in enumerate(who)}
    set_tradeoff(session, "connection-vs-speed-before", three, 1)
    session.commit()
    share = round(100 * (len(who) - 5) / len(who))
    expected = (f"of the {len(who)} people in this theme {ASKED} favoured human connection ({share}%); "
                f"the rest said both equally or favoured faster diagnosis.")
    assert expected in client.get(run.base).get_data(as_text=True)


def test_the_reports_table_of_a_themes_trade_offs_gives_no_small_side(app, session, client):
    """The table under a theme's stance gave "First 50%, Both 17%, Second 33%" of 6 answers (3, 1 and
    2 people) under a sentence saying they were too few to tell: a side of 1 to 4 people is now
    "not shown", as the sentence never counts it."""
    consultation = signed_in_lead_with_answers(app, session, client, 80)
    question = session.exec(select(Question).where(Question.key == "connection-vs-speed-before")).one()
    client.post(f"/manage/{consultation.slug}/themes/", data={"questions": [question.id]})
    run = session.exec(select(AnalysisRun)).one()
    assert run.status == "done"
    for theme in session.exec(select(Theme).where(Theme.run_id == run.id)):
        answers = session.exec(select(Answer).join(ThemeAssignment, ThemeAssignment.answer_id == Answer.id)
                               .where(ThemeAssignment.theme_id == theme.id).order_by(Answer.id)).all()
        for i, answer in enumerate(answers):  # two lean one way, one is in the middle, the rest the other
            answer.value = 3 if i < 2 else 0 if i == 2 else -3
            session.add(answer)
    session.commit()
    sides = trade_off_rows(client.get(f"/manage/{consultation.slug}/themes/{run.id}/report.docx").data)
    assert sides and all(row.count("not shown") >= 2 for row in sides), sides
    for *shares, people in sides:
        given = [round(int(share[:-1]) * int(people.replace(",", "")) / 100) for share in shares
                 if share.endswith("%")]
        assert not [n for n in given if 0 < n < 5], (shares, people)


def test_stance_wording_for_every_case():
    from surveys.theme_stance import LEFT, MIDDLE, RIGHT, Stance

    names = {LEFT: "Human connection", RIGHT: "Faster diagnosis", MIDDLE: "Both equally"}

    def say(left, right, middle, minimum=5):
        counts = {LEFT: left, RIGHT: right, MIDDLE: middle}
        return Stance(1, "Human connection or faster diagnosis", names, left + right + middle, counts,
                      minimum, 0.0).sentence

    asked = "who answered “Human connection or faster diagnosis”"
    assert say(190, 100, 22) == (f"Most of the 312 people in this theme {asked} favoured human connection "
                                 "(61%); 32% favoured faster diagnosis and 7% said both equally.")
    assert say(40, 35, 25) == (f"More of the 100 people in this theme {asked} favoured human connection "
                               "(40%) than anything else; 35% favoured faster diagnosis and 25% said both "
                               "equally.")
    assert say(0, 20, 0) == f"Most of the 20 people in this theme {asked} favoured faster diagnosis (100%)."
    assert say(6, 1, 0) == (f"Most of the 7 people in this theme {asked} favoured human connection; fewer "
                            "than 5 favoured faster diagnosis.")
    assert say(2, 1, 1).startswith("Fewer than 5 people in this theme answered")
    assert say(4, 4, 2) == ("The 10 people in this theme who answered “Human connection or faster "
                            "diagnosis” are too few on each side to say how they divide.")


def test_a_theme_too_few_to_tell_says_so_without_the_lead(client, session, run):
    """'Where they differ most from everyone:' leads a sentence that says how they divide, never
    one that says they are too few to tell."""
    theme, who = largest_theme(session, run)
    # Only four of the theme's people answered any trade-off.
    unanswered = {r: None for r in who[4:]}
    for key in ("connection-vs-speed-before", "new-vs-existing", "foundations-vs-quick-wins",
                "commit-vs-evaluate", "connection-vs-speed-after"):
        q = session.exec(select(Question).where(Question.key == key)).one()
        for a in session.exec(select(Answer).where(Answer.question_id == q.id)):
            if a.respondent_id in unanswered:
                session.delete(a)
    session.commit()
    report = docx_text(client.get(f"{run.base}/report.docx").data)
    line = next(p for p in report.splitlines() if "Fewer than 5 people in this theme answered" in p)
    assert line.startswith("Fewer than 5 people in this theme answered")
    assert "Where they differ most from everyone: Most of" in report  # other themes keep it


def test_says_how_they_divide_only_with_enough_on_the_main_side():
    from surveys.theme_stance import LEFT, MIDDLE, RIGHT, Stance

    def stance(left, right, middle):
        return Stance(1, "q", {LEFT: "A", RIGHT: "B", MIDDLE: "Both"}, left + right + middle,
                      {LEFT: left, RIGHT: right, MIDDLE: middle}, 5, 0.0)

    assert stance(190, 100, 22).says_how_they_divide and stance(5, 0, 0).says_how_they_divide
    assert not stance(2, 1, 1).says_how_they_divide and not stance(4, 4, 2).says_how_they_divide


def test_the_stance_names_the_trade_off_its_people_answered(client, session, run):
    """A card said "18 answers from 16 people" above "Most of the 10 people in this theme favoured
    faster diagnosis (60%)": the 10 were those of the 16 who answered the trade-off. The sentence
    now says so, naming the trade-off, on the board, the theme's page, the matrix and the report."""
    theme, who = largest_theme(session, run)
    assert len(who) >= 14
    for key in ("new-vs-existing", "foundations-vs-quick-wins", "commit-vs-evaluate",
                "connection-vs-speed-after"):
        set_tradeoff(session, key, {}, 0)
    # Seven of the first twelve favour faster diagnosis; the rest of the theme's people left it
    # unanswered (their reasons, placed in the theme, stay).
    leaning = {r: 2 if i < 7 else -2 if i < 12 else None for i, r in enumerate(who)}
    set_tradeoff(session, "connection-vs-speed-before", leaning, 0)
    session.commit()
    assert len(people(session, theme.id)) == len(who)
    expected = (f"Most of the 12 people in this theme {ASKED} favoured faster diagnosis (58%); 42% favoured "
                "human connection.")
    board = client.get(run.base).get_data(as_text=True)
    assert f"from {len(who)} people" in board
    pages = {"board": board, "theme": client.get(f"{run.base}/t/{theme.id}").get_data(as_text=True),
             "matrix": client.get(f"{run.base}/matrix").get_data(as_text=True),
             "report": docx_text(client.get(f"{run.base}/report.docx").data)}
    for name, page in pages.items():
        assert expected in page, (name, re.findall(r"[^>]*people in this theme[^<]*", page))
        assert "Most of the 12 people in this theme favoured" not in page, name
    in_welsh(session)
    welsh = unescape(client.get(f"{run.base}/t/{theme.id}?lang=cy").get_data(as_text=True))
    assert ("Roedd y rhan fwyaf o'r 12 o bobl yn y thema hon a atebodd “Cysylltiad dynol neu diagnosis "
            "cyflymach (ar y dechrau)” wedi ffafrio diagnosis cyflymach (58%); 42% ffafrio cysylltiad "
            "dynol.") in welsh


def test_a_tie_at_the_top_is_said_to_be_evenly_divided(client, session, run):
    """Five and five gave "More of the 10 people … favoured faster diagnosis (50%) than anything
    else; 50% favoured human connection", naming whichever side the counts were kept first."""
    theme, who = largest_theme(session, run)
    assert len(who) >= 14
    for key in ("new-vs-existing", "foundations-vs-quick-wins", "commit-vs-evaluate",
                "connection-vs-speed-after"):
        set_tradeoff(session, key, {}, 0)
    leaning = {r: 2 if i < 7 else -2 if i < 14 else None for i, r in enumerate(who)}
    set_tradeoff(session, "connection-vs-speed-before", leaning, 0)
    session.commit()
    expected = (f"The 14 people in this theme {ASKED} are evenly divided: 50% favoured human connection "
                "and 50% favoured faster diagnosis.")
    pages = {"board": client.get(run.base).get_data(as_text=True),
             "theme": client.get(f"{run.base}/t/{theme.id}").get_data(as_text=True),
             "matrix": client.get(f"{run.base}/matrix").get_data(as_text=True),
             "report": docx_text(client.get(f"{run.base}/report.docx").data)}
    for name, page in pages.items():
        assert expected in page, (name, re.findall(r"[^>]*people in this theme[^<]*", page))
        assert "(50%) than anything else" not in page, name
    in_welsh(session)
    welsh = unescape(client.get(f"{run.base}/t/{theme.id}?lang=cy").get_data(as_text=True))
    assert ("Mae'r 14 o bobl yn y thema hon a atebodd “Cysylltiad dynol neu diagnosis cyflymach (ar y "
            "dechrau)” wedi'u rhannu'n gyfartal: 50% ffafrio cysylltiad dynol a 50% ffafrio diagnosis "
            "cyflymach.") in welsh


def test_ties_and_near_ties_are_said_as_they_are():
    from surveys.theme_stance import LEFT, MIDDLE, RIGHT, Stance

    names = {LEFT: "Human connection", RIGHT: "Faster diagnosis", MIDDLE: "Both equally"}
    asked = "who answered “Human connection or faster diagnosis”"

    def say(left, right, middle, minimum=5, order=(LEFT, RIGHT, MIDDLE)):
        given = {LEFT: left, RIGHT: right, MIDDLE: middle}
        return Stance(1, "Human connection or faster diagnosis", names, left + right + middle,
                      {k: given[k] for k in order}, minimum, 0.0).sentence

    evenly = (f"The 10 people in this theme {asked} are evenly divided: 50% favoured human connection and "
              "50% favoured faster diagnosis.")
    # Whatever order the counts were kept in.
    assert say(5, 5, 0) == say(5, 5, 0, order=(RIGHT, MIDDLE, LEFT)) == evenly
    assert say(40, 40, 20) == (f"The 100 people in this theme {asked} are evenly divided: 40% favoured "
                               "human connection and 40% favoured faster diagnosis; 20% said both equally.")
    assert say(4, 4, 4, minimum=4) == (f"The 12 people in this theme {asked} are evenly divided: 33% "
                                       "favoured human connection, 33% favoured faster diagnosis and 33% "
                                       "said both equally.")
    # A small third side is never counted, nor shares that would give it away.
    assert say(6, 6, 2) == (f"The 14 people in this theme {asked} are divided between those who favoured "
                            "human connection and those who favoured faster diagnosis; fewer than 5 said "
                            "both equally.")
    # 101 and 100 are both 50%: never "Most … (50%)"; the counts tell them apart.
    near = (f"The 201 people in this theme {asked} are almost evenly divided: 101 favoured faster diagnosis "
            "and 100 favoured human connection.")
    assert say(100, 101, 0) == say(100, 101, 0, order=(RIGHT, LEFT, MIDDLE)) == near
    for left, right, middle, minimum in ((101, 100, 0, 5), (101, 99, 1, 1), (100, 99, 3, 5), (99, 101, 0, 5)):
        said = say(left, right, middle, minimum)
        assert "Most" not in said and "(50%);" not in said, said
    assert say(101, 99, 1, minimum=1).startswith(f"More of the 201 people in this theme {asked} favoured "
                                                 "human connection (50%) than anything else")
    assert say(51, 49, 0).startswith("Most of the 100") and "(51%)" in say(51, 49, 0)
