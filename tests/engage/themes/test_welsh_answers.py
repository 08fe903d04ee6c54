"""Answers written in Welsh get no sentiment, and the theme board says so rather than showing
nothing, or the English answers' shares as if they were every answer's."""

from collections import defaultdict
from html import unescape

from sqlmodel import select

from surveys.models import AnalysisRun, Question, Theme, ThemeAssignment

from ...analysis.test_welsh import welsh_corpus
from ...factories import signed_in_lead_with_answers
from .helpers import add_text_answers, card_fact

NOT_MEASURED = "not measured: the answers are in Welsh"


def test_welsh_answers_are_said_to_be_not_measured(app, client, session):
    consultation = signed_in_lead_with_answers(app, session, client, 40)
    question = session.exec(select(Question).where(Question.consultation_id == consultation.id,
                                                   Question.type == "text")).first()
    welsh, _ = welsh_corpus(n_per_topic=12)
    add_text_answers(session, consultation.id, question.id, welsh)
    assert client.post(f"/manage/{consultation.slug}/themes/",
                       data={"questions": [question.id]}).status_code == 302
    session.expire_all()
    run = session.exec(select(AnalysisRun)).one()
    assert run.status == "done", run.error
    feelings = defaultdict(list)
    for theme_id, feeling in session.exec(select(ThemeAssignment.theme_id, ThemeAssignment.sentiment)
                                          .where(ThemeAssignment.run_id == run.id)).all():
        feelings[theme_id].append(feeling)
    top = {t.id for t in session.exec(select(Theme).where(Theme.run_id == run.id, Theme.parent_id.is_(None)))}
    welsh_themes = [t for t in top if t in feelings and all(f is None for f in feelings[t])]
    assert welsh_themes, "the Welsh answers make themes of their own"

    base = f"/manage/{consultation.slug}/themes/{run.id}"
    board = unescape(client.get(base).get_data(as_text=True))
    seen = set()
    for theme_id in top & set(feelings):
        card = board[board.index(f'{base}/t/{theme_id}"'):].split("</li>")[0]
        feeling = card_fact(card, "How the answers feel")
        unscored = feelings[theme_id].count(None)
        if theme_id in welsh_themes:
            assert feeling == NOT_MEASURED
            seen.add("Welsh")
        elif unscored:  # the shares are of the English answers, and the card says so
            word = "answer" if unscored == 1 else "answers"
            assert feeling.endswith(f"% positive; not measured for {unscored} {word} in Welsh"), feeling
            seen.add("mixed")
        else:
            assert feeling.endswith("% positive"), feeling
            seen.add("English")
    assert "Welsh" in seen and len(seen) >= 2, seen
    page = unescape(client.get(f"{base}/t/{welsh_themes[0]}").get_data(as_text=True))
    assert NOT_MEASURED in page and "% positive" not in page
