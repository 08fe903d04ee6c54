"""'What others have said so far': aggregates of submitted answers, never for small groups.

Each question becomes a short summary sentence and a few rows (label, figure, share for the bar),
in plain words for the public: options no one chose are left out, a trade-off reads as three
leanings rather than seven points.
"""

from __future__ import annotations

from sqlmodel import Session, func, select

from surveys.journey import Structure
from surveys.models import Answer, Consultation, Respondent
from surveys.types import get_type
from surveys.types.tradeoff import DONT_KNOW, DONT_KNOW_LABEL, POINTS

SUMMARISED = ("tradeoff", "likert", "choice", "multi", "rank", "allocate")


def results_for(session: Session, consultation: Consultation, minimum: int) -> list[dict]:
    structure = Structure.load(session, consultation)
    submitted = session.exec(select(func.count()).select_from(Respondent).where(
        Respondent.consultation_id == consultation.id,
        Respondent.submitted_at.is_not(None))).one()
    if submitted < minimum:
        return []
    rows = session.exec(
        select(Answer.question_id, Answer.value).join(Respondent)
        .where(Respondent.consultation_id == consultation.id, Respondent.submitted_at.is_not(None))
    ).all()
    values: dict[int, list] = {}
    for question_id, value in rows:
        values.setdefault(question_id, []).append(value)
    out = []
    for q in structure.questions:
        if q.type not in SUMMARISED or q.is_segment:
            continue
        given = [v for v in values.get(q.id, []) if v not in (None, [], {})]
        if len(given) < minimum:
            continue
        out.append({"question": q, "type": q.type, "people": len(given),
                    **_readable(q, get_type(q.type), given)})
    return out


def _share(n: float, total: float) -> int:
    return round(100 * n / total) if total else 0


def _counted(rows: list[tuple[str, int]], people: int) -> list[dict]:
    """Rows of people per answer, biggest first, without the answers no one gave."""
    kept = sorted(((label, n) for label, n in rows if n), key=lambda r: -r[1])
    return [{"label": label, "figure": f"{_share(n, people)}%", "people": n, "bar": _share(n, people)}
            for label, n in kept]


def _readable(q, qtype, given: list) -> dict:
    """``summary`` (one sentence), ``rows`` for the chart and its table, and the figure's heading."""
    people = len(given)
    if q.type == "tradeoff":
        s = qtype.summarise(q, given)
        left, right = q.config["left"], q.config["right"]
        lean_left = sum(s["counts"][p] for p in POINTS if p < 0)
        lean_right = sum(s["counts"][p] for p in POINTS if p > 0)
        rows = _counted([(f"Leaned towards {left.lower() if left[1:2].islower() else left}", lean_left),
                         (q.config.get("middle", "Both equally"), s["counts"][0]),
                         (f"Leaned towards {right.lower() if right[1:2].islower() else right}", lean_right),
                         (DONT_KNOW_LABEL, sum(v == DONT_KNOW for v in given))], people)
        return {"rows": rows, "figure": "Share of people", "summary": _most(rows, people)}
    if q.type in ("likert", "choice", "multi"):
        counts = qtype.summarise(q, given)["counts"]
        rows = _counted(list(counts.items()), people)
        return {"rows": rows, "figure": "Share of people", "summary": _most(rows, people, q.type == "multi")}
    if q.type == "rank":
        s = qtype.summarise(q, given)
        order = sorted((pos, label) for label, pos in s["mean_position"].items() if pos is not None)
        rows = [{"label": label, "figure": f"{_share(s['first_choice'][label], people)}%",
                 "people": s["first_choice"][label], "bar": _share(s["first_choice"][label], people)}
                for _, label in order]
        top = order[0][1] if order else ""
        return {"rows": rows, "figure": "Put it first",
                "summary": f"Put highest overall: {top}. Listed from highest to lowest on average."}
    s = qtype.summarise(q, given)  # allocate: average share of the budget
    total = q.config.get("total") or 100
    unit = q.config.get("unit") or "points"
    means = sorted(((m, label) for label, m in s["mean"].items() if m), reverse=True)
    rows = [{"label": label, "figure": f"{m:.0f} {unit}", "people": None, "bar": _share(m, total)}
            for m, label in means]
    top = means[0][1] if means else ""
    return {"rows": rows, "figure": "Average given",
            "summary": f"Most {unit} went to: {top}."}


def _most(rows: list[dict], people: int, several: bool = False) -> str:
    if not rows:
        return ""
    top = rows[0]
    what = "Most often included" if several else "Most common answer"
    return f"{what}: {top['label']} ({top['figure']} of people). {people} people answered."
