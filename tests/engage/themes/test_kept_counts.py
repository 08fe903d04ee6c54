"""The theme pages read counts kept per theme (``surveys.theme_tally``), so that a view at 250,000
respondents does not count every answer again. Kept counts must be the counts: after any
sequence of edits, undos, new answers placed and people withdrawing, the board, the theme × group
table and a theme's page show exactly what they show when every count is made afresh."""

from __future__ import annotations

import random
import re
from types import SimpleNamespace

import pytest
from sqlmodel import func, select

from surveys import theme_tally
from surveys.models import Answer, Respondent, Theme, ThemeAssignment, ThemeTally

from ...factories import PASSWORD, user
from .helpers import PARKING, add_text_answers, analysed, splitting_word

ADMIN = "admin@example.nhs.uk"


@pytest.fixture
def run(app, session, client):
    run = analysed(app, session, client)
    user(session, ADMIN, "admin")
    admin = app.test_client()
    assert admin.post("/account/sign-in", data={"email": ADMIN, "password": PASSWORD}).status_code == 302
    return SimpleNamespace(**vars(run), admin=admin,
                           responses=f"/manage/c/{run.consultation.slug}/responses")


def pages(client, session, run) -> str:
    """The board, the matrix and the largest theme's page, as a facilitator sees them (less each
    response's form token and script nonce)."""
    session.expire_all()
    top = session.exec(select(ThemeAssignment.theme_id).where(ThemeAssignment.run_id == run.id)
                       .group_by(ThemeAssignment.theme_id).order_by(ThemeAssignment.theme_id)).first()
    html = ""
    for path in ("", "/matrix", f"/t/{top}" if top else ""):
        response = client.get(run.base + path)
        assert response.status_code == 200
        html += response.get_data(as_text=True)
    return re.sub(r'(name="csrf_token"[^>]*value="|nonce=")[^"]*"', r"\1", html)


def kept(session, run) -> dict:
    session.expire_all()
    return {t.theme_id: t.counts for t in session.exec(select(ThemeTally).where(ThemeTally.run_id == run.id))}


def members(session, theme_id: int) -> list[int]:
    return session.exec(select(ThemeAssignment.answer_id).where(ThemeAssignment.theme_id == theme_id)
                        .order_by(ThemeAssignment.answer_id)).all()


def assert_kept_counts_are_the_counts(client, session, run) -> None:
    client.get(run.base)  # (the first view after a change also says what was done)
    shown, counts = pages(client, session, run), kept(session, run)
    assert theme_tally.RUN in counts  # the pages read kept counts
    theme_tally.forget_run(session, run.id)
    session.commit()
    assert not kept(session, run)
    again = pages(client, session, run)
    if again != shown:  # pragma: no cover - say where, not 200 lines of HTML
        import difflib
        raise AssertionError("\n".join(list(difflib.unified_diff(shown.splitlines(), again.splitlines(),
                                                                  lineterm="", n=2))[:60]))
    assert kept(session, run) == counts


ACTIONS = ("rename", "merge", "split", "move", "create", "broaden", "narrow", "undo", "withdraw", "add")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kept_counts_are_the_counts_after_any_sequence_of_changes(client, session, run, seed):
    """Random changes (a fixed sequence per seed: each changes what the next can do, which rules
    out shrinking), each followed by the check."""
    rng = random.Random(seed)
    assert_kept_counts_are_the_counts(client, session, run)
    made = 0
    for step in range(7):
        session.expire_all()
        themes = session.exec(select(Theme).where(Theme.run_id == run.id, Theme.parent_id.is_(None))
                              .order_by(Theme.id)).all()
        theme = rng.choice(themes)
        others = [t for t in themes if t.id != theme.id]
        answers = members(session, theme.id)
        kind = rng.choice(ACTIONS)
        url, form, who = f"{run.base}/t/{theme.id}", {"action": kind}, client
        if kind == "rename":
            form |= {"rename-label": f"Renamed {step}", "rename-description": ""}
        elif kind in ("merge", "move"):
            if not others or not answers:
                continue
            form[f"{kind}-target"] = str(rng.choice(others).id)
            if kind == "move":
                form["move-answer"] = str(rng.choice(answers))
        elif kind == "split":
            subs = session.exec(select(Theme.id).where(Theme.parent_id == theme.id)).all()
            url = f"{run.base}/t/{theme.id}/split"
            form = {"sub": [str(subs[0])]} if subs else {"phrase": splitting_word(session, theme.id)}
        elif kind in ("create", "broaden", "narrow", "undo"):
            url = f"{run.base}/edit"
            form |= {"label": f"New {step}"} if kind == "create" else {"count": str(max(2, len(themes) // 2))}
        elif kind == "withdraw":  # a person phones, and an admin takes back everything they said
            if not answers:
                continue
            person = session.get(Answer, rng.choice(answers)).respondent_id
            url, form, who = f"{run.responses}/r/{person}/withdraw", {"reason": "Phoned and asked"}, run.admin
        else:  # new answers come in, on a topic nobody wrote about, and the analysis places them
            add_text_answers(session, run.consultation.id, run.question, PARKING[:6])
            url, form = f"{run.base}/edit", {"action": "update"}
        response = who.post(url, data=form)
        assert response.status_code in (302, 400), response.get_data(as_text=True)[:300]
        made += response.status_code == 302
        assert_kept_counts_are_the_counts(client, session, run)
    assert made >= 3


def test_an_edit_recounts_only_the_themes_it_touched(client, session, run):
    """What makes the pages fast at scale: merging two themes forgets the counts of those two,
    not the run's nor any other theme's, and the next view counts only the merged theme again."""
    pages(client, session, run)
    themes = session.exec(select(Theme.id).where(Theme.run_id == run.id, Theme.parent_id.is_(None))
                          .order_by(Theme.id)).all()
    source, target = themes[:2]
    session.execute(ThemeTally.__table__.update().where(ThemeTally.run_id == run.id)
                    .values(counts={"marked": True}))
    session.commit()
    response = client.post(f"{run.base}/t/{source}", data={"action": "merge", "merge-target": str(target)})
    assert response.status_code == 302
    after = kept(session, run)
    assert set(after) == {theme_tally.RUN, *themes} - {source, target}
    assert all(counts == {"marked": True} for counts in after.values())


@pytest.mark.parametrize("form", [{"action": "review"},
                                  {"action": "rename", "rename-label": "Our name", "rename-description": ""}])
def test_renaming_or_reviewing_a_theme_counts_nothing_again(client, session, run, form):
    """Neither moves an answer, so neither (nor its undo) forgets a count: marking each theme
    reviewed at 250,000 respondents must not count each one again."""
    pages(client, session, run)
    rows = set(kept(session, run))
    theme = min(rows - {theme_tally.RUN})
    session.execute(ThemeTally.__table__.update().where(ThemeTally.run_id == run.id)
                    .values(counts={"marked": True}))
    session.commit()
    for url, data in ((f"{run.base}/t/{theme}", form), (f"{run.base}/edit", {"action": "undo"})):
        assert client.post(url, data=data).status_code == 302
        assert kept(session, run) == {t: {"marked": True} for t in rows}


@pytest.mark.parametrize("seed", [4, 5])
def test_moving_answers_brings_the_counts_up_to_date_without_counting_again(client, session, run, seed):
    """Moving one answer, the most common edit, updates the two themes' kept counts in place
    (counting a theme of 200,000 answers again takes seconds). Among the answers moved: a
    group's quoted answer, answers flagged for the safeguarding lead or with placeholders (which
    change which answer a group is quoted by), and people with several answers in a theme."""
    rng = random.Random(seed)
    placed = session.exec(select(Answer).join(ThemeAssignment, ThemeAssignment.answer_id == Answer.id)
                          .where(ThemeAssignment.run_id == run.id).order_by(Answer.id)).all()
    for answer in rng.sample(placed, 8):
        answer.safeguarding = True
    for answer in rng.sample(placed, 8):
        answer.text_redacted = "Call me on [phone number] about the waiting times."
    session.add_all(placed)
    theme_tally.forget_run(session, run.id)  # changed here, behind the app: counted again
    session.commit()
    assert_kept_counts_are_the_counts(client, session, run)
    for step in range(12):
        counted = kept(session, run)
        themes = sorted(t for t in counted if t != theme_tally.RUN)
        source = rng.choice([t for t in themes if counted[t]["answers"]])
        target = rng.choice([t for t in themes if t != source])
        quoted = [a for a in counted[source]["firsts"].values() if a]
        answer = rng.choice(quoted) if quoted and step % 3 == 0 else rng.choice(members(session, source))
        response = client.post(f"{run.base}/t/{source}", data={"action": "move", "move-answer": str(answer),
                                                               "move-target": str(target)})
        assert response.status_code == 302
        assert kept(session, run)[source] != counted[source]  # kept, and brought up to date
        assert_kept_counts_are_the_counts(client, session, run)


def test_a_withdrawal_recounts_the_run(client, session, run):
    """The groups' totals and everyone's stance lose the person too: the run's own counts go."""
    pages(client, session, run)
    person = session.exec(select(Respondent.id).order_by(Respondent.id)).first()
    assert theme_tally.RUN in kept(session, run)
    response = run.admin.post(f"{run.responses}/r/{person}/withdraw", data={"reason": "Phoned and asked"})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert theme_tally.RUN not in kept(session, run)


@pytest.mark.parametrize("search", ["e", "the", "waiting", "Zebrafinch"])
def test_a_themes_searched_answers_are_counted_on_every_page(client, session, run, search):
    """A first page with room to spare is every match, so the count comes from it; a fuller search
    is counted apart. Either way the heading counts every match, on each page."""
    theme, *others = session.exec(select(ThemeAssignment.theme_id).where(ThemeAssignment.run_id == run.id)
                                  .group_by(ThemeAssignment.theme_id).order_by(func.count().desc())).all()
    for other in others[:4]:  # a theme of more than a page of answers
        response = client.post(f"{run.base}/t/{other}", data={"action": "merge", "merge-target": str(theme)})
        assert response.status_code == 302
    texts = session.exec(select(Answer.text_redacted)
                         .join(ThemeAssignment, ThemeAssignment.answer_id == Answer.id)
                         .where(ThemeAssignment.theme_id == theme)).all()
    matches = sum(search.casefold() in (t or "").casefold() for t in texts)
    if search == "e":
        assert matches > 25  # (a second page)
    for page in range(1, max(1, -(-matches // 25)) + 1):
        html = client.get(f"{run.base}/t/{theme}?q={search}&page={page}").get_data(as_text=True)
        assert f"Answers ({matches})" in html, (page, matches)
