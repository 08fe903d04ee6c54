"""Read-side queries for the theme board (aggregated in SQL)."""

from __future__ import annotations

from sqlmodel import Session, func, or_, select

from surveys.models import AnalysisRun, Answer, Respondent, Theme, ThemeAssignment
from surveys.theme_runs import feeling_text, quote_texts, sentiment_shares
from surveys.theme_stance import theme_stances

PAGE_SIZE = 25


def board(session: Session, run_id: int, minimum: int = 1) -> list[dict]:
    """Top-level themes with size, counts per segment, quotes and where their people stand."""
    themes = session.exec(select(Theme).where(Theme.run_id == run_id, Theme.parent_id.is_(None))
                          .order_by(Theme.position)).all()
    counts = session.exec(
        select(ThemeAssignment.theme_id, Respondent.segment, func.count())
        .join(Answer, Answer.id == ThemeAssignment.answer_id)
        .join(Respondent, Respondent.id == Answer.respondent_id)
        .where(ThemeAssignment.run_id == run_id)
        .group_by(ThemeAssignment.theme_id, Respondent.segment)).all()
    by_theme: dict[int, dict] = {}
    for theme_id, segment, n in counts:
        by_theme.setdefault(theme_id, {})[segment or "not said"] = n
    quotes = quote_texts(session, themes)
    feelings = sentiment_shares(session, [t.id for t in themes])
    stances = theme_stances(session, session.get(AnalysisRun, run_id), minimum)
    out = [{"theme": t, "segments": by_theme.get(t.id, {}), "size": sum(by_theme.get(t.id, {}).values()),
            "quotes": quotes[t.id], "stance": (stances.get(t.id) or [None])[0],
            "feeling": feeling_text(feelings.get(t.id))}
           for t in themes]
    return sorted(out, key=lambda r: -r["size"])


def theme_answers(session: Session, theme_id: int, search: str = "", page: int = 1):
    """One page of a theme's answers (redacted text only), with the total count."""
    query = (select(Answer.id, Answer.text_redacted, Respondent.segment, Answer.safeguarding)
             .join(ThemeAssignment, ThemeAssignment.answer_id == Answer.id)
             .join(Respondent, Respondent.id == Answer.respondent_id)
             .where(ThemeAssignment.theme_id == theme_id))
    if search:
        query = query.where(or_(Answer.text_redacted.ilike(f"%{_escape(search)}%", escape="\\")))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(Answer.id).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    return rows, total


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
