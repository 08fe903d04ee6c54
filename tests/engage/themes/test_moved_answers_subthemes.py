"""An answer moved to another theme leaves its old sub-theme behind: "More, narrower themes" never
takes it back, undo never loses it, and the exports name a sub-theme of its own theme (its old
sub-theme stayed attached, pulling it back, and undo left it on no theme page)."""

import csv
import io
import re
from html import unescape
from types import SimpleNamespace

import pytest
from alembic import command
from sqlmodel import select

from surveys import migrate, theme_runs
from surveys.models import AnalysisRun, Theme, ThemeAssignment

from ...factories import signed_in_lead_with_answers


@pytest.fixture
def run(app, session, client):
    consultation = signed_in_lead_with_answers(app, session, client, 60)
    qids = [q.id for q in theme_runs.analysable_questions(session, consultation)]
    client.post(f"/manage/{consultation.slug}/themes/", data={"questions": qids})
    run = session.exec(select(AnalysisRun)).one()
    assert run.status == "done", run.error
    return SimpleNamespace(id=run.id, base=f"/manage/{consultation.slug}/themes/{run.id}")


def broaden(client, session, run):
    """Fewer, broader themes; a broad theme, one of its answers in a sub-theme, and another theme."""
    page = client.get(run.base).get_data(as_text=True)
    offered = [int(n) for n in re.findall(r'<option value="(\d+)"', page)]
    response = client.post(f"{run.base}/edit", data={"action": "broaden", "count": min(offered)})
    assert response.status_code == 302
    session.expire_all()
    tops = session.exec(select(Theme).where(Theme.run_id == run.id, Theme.parent_id.is_(None))
                        .order_by(Theme.position)).all()
    parents = set(session.exec(select(Theme.parent_id).where(Theme.run_id == run.id,
                                                             Theme.parent_id.is_not(None))).all())
    broad = next(t for t in tops if t.id in parents)
    other = next(t for t in tops if t.id != broad.id)
    answer = session.exec(select(ThemeAssignment.answer_id).where(
        ThemeAssignment.theme_id == broad.id, ThemeAssignment.subtheme_id.is_not(None))
        .order_by(ThemeAssignment.answer_id)).first()
    return broad, other, answer


def placing(session, answer_id: int) -> tuple[int, int | None]:
    session.expire_all()
    a = session.exec(select(ThemeAssignment).where(ThemeAssignment.answer_id == answer_id)).one()
    return a.theme_id, a.subtheme_id


def theme_pages_hold(client, session, run) -> int:
    """The answers the theme pages list, summed over the board's themes."""
    session.expire_all()
    total = 0
    for theme_id in session.exec(select(Theme.id).where(Theme.run_id == run.id, Theme.parent_id.is_(None))):
        page = client.get(f"{run.base}/t/{theme_id}").get_data(as_text=True)
        total += int(re.search(r"Answers \((\d+)\)", page).group(1))
    return total


def board_says(client, run) -> int:
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", client.get(run.base).get_data(as_text=True))).split())
    return int(re.search(r"([\d,]+) written answers placed in", text).group(1).replace(",", ""))


def csv_rows(client, run) -> dict[str, dict]:
    body = client.get(f"{run.base}/answers.csv").get_data(as_text=True).lstrip("\ufeff")
    return {r["Answer number"]: r for r in csv.DictReader(io.StringIO(body))}


def subtheme_parents(session, run) -> dict[str, set[str]]:
    """Each sub-theme's name, with the names of the themes it may be a sub-theme of."""
    session.expire_all()
    labels = dict(session.exec(select(Theme.id, Theme.label).where(Theme.run_id == run.id)).all())
    out: dict[str, set[str]] = {}
    for t in session.exec(select(Theme).where(Theme.run_id == run.id, Theme.parent_id.is_not(None))):
        out.setdefault(t.label, set()).add(labels[t.parent_id])
    return out


def test_a_moved_answer_stays_where_it_was_put_through_narrower_themes_and_undo(client, session, run):
    broad, other, answer = broaden(client, session, run)
    placed = board_says(client, run)
    response = client.post(f"{run.base}/t/{broad.id}",
                           data={"action": "move", "move-answer": answer, "move-target": other.id})
    assert response.status_code == 302
    assert placing(session, answer) == (other.id, None)
    row = csv_rows(client, run)[str(answer)]
    assert (row["Theme"], row["Sub-theme"]) == (other.label, "")
    assert client.post(f"{run.base}/edit", data={"action": "narrow"}).status_code == 302
    assert placing(session, answer)[0] == other.id  # not pulled back into its old sub-theme
    assert theme_pages_hold(client, session, run) == board_says(client, run) == placed
    assert client.post(f"{run.base}/edit", data={"action": "undo"}).status_code == 302
    assert placing(session, answer) == (other.id, None)
    assert theme_pages_hold(client, session, run) == board_says(client, run) == placed
    parents = subtheme_parents(session, run)
    for row in csv_rows(client, run).values():  # every sub-theme named is one of the answer's theme
        if row["Sub-theme"]:
            assert row["Theme"] in parents[row["Sub-theme"]], row


def test_merged_answers_leave_the_sub_themes_of_the_theme_merged(client, session, run):
    broad, other, answer = broaden(client, session, run)
    placed = board_says(client, run)
    response = client.post(f"{run.base}/t/{broad.id}", data={"action": "merge", "merge-target": other.id})
    assert response.status_code == 302
    assert placing(session, answer) == (other.id, None)
    assert client.post(f"{run.base}/edit", data={"action": "undo"}).status_code == 302
    assert placing(session, answer)[0] == broad.id and placing(session, answer)[1] is not None
    assert theme_pages_hold(client, session, run) == placed


def test_the_migration_clears_sub_themes_of_another_theme(app, client, session, run, db_url):
    broad, other, answer = broaden(client, session, run)
    broad, other = SimpleNamespace(id=broad.id), SimpleNamespace(id=other.id)
    session.expire_all()
    a = session.exec(select(ThemeAssignment).where(ThemeAssignment.answer_id == answer)).one()
    kept = a.subtheme_id
    a.theme_id = other.id  # as moving an answer left it
    session.add(a)
    session.commit()
    session.close()
    app.extensions["engage.db"].dispose()
    command.downgrade(migrate.alembic_config(db_url), "0034")
    migrate.upgrade(db_url)
    assert placing(session, answer) == (other.id, None)
    others = session.exec(select(ThemeAssignment).where(ThemeAssignment.run_id == run.id,
                                                        ThemeAssignment.subtheme_id == kept)).all()
    assert others and all(x.theme_id == broad.id for x in others)  # its own answers keep it
