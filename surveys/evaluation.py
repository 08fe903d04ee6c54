"""Honest evaluation: a facilitator codes a random sample blind, then sees the agreement.

The facilitator chooses, for each sampled answer, one of the run's theme names (or "none of
these") without seeing where the model put it. Agreement is then measured against the model's
current placing (so it reflects the themes as edited): raw agreement and Cohen's kappa overall,
and per theme how often the two agree.
"""

from __future__ import annotations

import random

from sqlmodel import Session, delete, func, select

from .models import AnalysisRun, EvaluationCode, Theme, ThemeAssignment, utcnow
from .theme_edits import EditError
from .theme_runs import gather_texts
from .wording import N_, gettext

NONE = "none"


def start_sample(session: Session, run: AnalysisRun, size: int) -> list[EvaluationCode]:
    """Draw a fresh random sample of the run's answers to code (replaces an earlier one)."""
    answer_ids = [t.answer_id for t in gather_texts(session, run)]
    if len(answer_ids) < 2:
        raise EditError(N_("There are too few answers to check."))
    session.exec(delete(EvaluationCode).where(EvaluationCode.run_id == run.id))
    rng = random.Random(f"{run.id}-{utcnow().isoformat()}")
    sample = rng.sample(answer_ids, min(size, len(answer_ids)))
    codes = [EvaluationCode(run_id=run.id, answer_id=a, position=i) for i, a in enumerate(sample)]
    session.add_all(codes)
    session.flush()
    return codes


def sample_size(session: Session, run: AnalysisRun) -> int:
    """How many answers the current sample holds (0 before one is drawn)."""
    return session.exec(select(func.count()).select_from(EvaluationCode)
                        .where(EvaluationCode.run_id == run.id)).one()


def next_uncoded(session: Session, run: AnalysisRun) -> EvaluationCode | None:
    return session.exec(select(EvaluationCode).where(EvaluationCode.run_id == run.id,
                                                     EvaluationCode.coded.is_(False))
                        .order_by(EvaluationCode.position)).first()


def code(session: Session, run: AnalysisRun, code_id: int, theme_id: int | None, user_id) -> None:
    row = session.get(EvaluationCode, code_id)
    if row is None or row.run_id != run.id:
        raise EditError(N_("That answer is not in this check."))
    if theme_id is not None:
        theme = session.get(Theme, theme_id)
        if theme is None or theme.run_id != run.id or theme.parent_id is not None:
            raise EditError(N_("Choose one of the themes listed."))
    row.theme_id, row.coded, row.user_id, row.coded_at = theme_id, True, user_id, utcnow()
    session.add(row)


def agreement(pairs: list[tuple[str, str]]) -> dict:
    """Agreement between (facilitator, model) choices: share agreeing, Cohen's kappa, per choice."""
    if not pairs:
        return {"n": 0, "agreement": None, "kappa": None, "per_theme": {}}
    human = [h for h, _ in pairs]
    model = [m for _, m in pairs]
    agree = sum(h == m for h, m in pairs)
    kappa = _cohen_kappa(human, model) if len(set(human) | set(model)) > 1 else 1.0
    per_theme = {}
    for label in sorted(set(human) | set(model)):
        both = sum(h == m == label for h, m in pairs)
        by_human = human.count(label)
        by_model = model.count(label)
        per_theme[label] = {"facilitator": by_human, "model": by_model, "both": both,
                            # Share of answers either side put here that both put here.
                            "agreement": both / (by_human + by_model - both)}
    return {"n": len(pairs), "agreement": agree / len(pairs), "kappa": float(kappa),
            "per_theme": per_theme}


#: Landis and Koch's plain descriptions of Cohen's kappa, each with the highest kappa it describes
#: (said of a degree: "to a fair degree"). The first, at 0 or below, is no agreement at all.
STRENGTHS = ((0.0, N_("no better than chance")), (0.2, N_("slight")), (0.4, N_("fair")),
             (0.6, N_("moderate")), (0.8, N_("substantial")), (float("inf"), N_("almost perfect")))


def agreement_band(kappa: float) -> int:
    """Which of :data:`STRENGTHS` describes ``kappa`` (0: no better than chance)."""
    return next(i for i, (top, _) in enumerate(STRENGTHS) if kappa <= top)


def agreement_strength(kappa: float) -> str:
    """How strong an agreement ``kappa`` is, in words of the language being served: the check page
    and the report both say it so."""
    return gettext(STRENGTHS[agreement_band(kappa)][1])


def _cohen_kappa(human: list[str], model: list[str]) -> float:
    """Cohen's kappa, by its definition (no scikit-learn in the web process): agreement beyond
    what the two sides' label shares would give by chance."""
    n = len(human)
    observed = sum(h == m for h, m in zip(human, model, strict=True)) / n
    chance = sum(human.count(label) * model.count(label) for label in set(human) | set(model)) / n / n
    return (observed - chance) / (1 - chance)


def results(session: Session, run: AnalysisRun) -> dict | None:
    """Agreement for the sample, once every answer in it is coded (None before), from the codes
    and the themes as they are now: worked out each time it is shown (check page, board, report,
    download), never kept, so it cannot outlive its sample or the edits since.

    Choices are compared by theme id, never by name: two themes that share a name are still two
    themes. ``per_theme`` is a list of rows, each with the theme's current name (or "none").
    """
    rows = session.exec(select(EvaluationCode).where(EvaluationCode.run_id == run.id)).all()
    if not rows or not all(r.coded for r in rows):
        return None
    labels = {t.id: t.label for t in session.exec(select(Theme).where(Theme.run_id == run.id,
                                                                      Theme.parent_id.is_(None)))}
    placed = dict(session.exec(select(ThemeAssignment.answer_id, ThemeAssignment.theme_id)
                               .where(ThemeAssignment.run_id == run.id,
                                      ThemeAssignment.answer_id.in_([r.answer_id for r in rows]))).all())

    def key(theme_id) -> str:
        return str(theme_id) if theme_id in labels else NONE

    result = agreement([(key(r.theme_id), key(placed.get(r.answer_id))) for r in rows])
    result["per_theme"] = sorted(
        ({"id": None if k == NONE else int(k), "label": labels.get(int(k)) if k != NONE else NONE, **v}
         for k, v in result["per_theme"].items()),
        key=lambda r: (r["label"] == NONE, r["label"].casefold(), r["id"] or 0))
    return result


def summary(session: Session, run: AnalysisRun) -> dict | None:
    """The blind check's figures as the board, the report and the JSON download give them:
    kappa, agreement and the number of answers (None until a sample is wholly coded)."""
    result = results(session, run)
    return None if result is None else {k: result[k] for k in ("kappa", "agreement", "n")}
