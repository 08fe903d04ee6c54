"""Theme analysis runs, their themes and the placing of answers in themes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from ._base import json_column, time_column, utcnow


class AnalysisRun(SQLModel, table=True):
    __tablename__ = "analysis_run"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="ck_run_status"),
        CheckConstraint("progress >= 0 AND progress <= 1", name="ck_run_progress"),
    )

    id: int | None = Field(default=None, primary_key=True)
    consultation_id: int = Field(foreign_key="consultation.id", index=True, ondelete="CASCADE")
    #: Which questions' free text (and whether trade-off "Why?" reasons) the run covers.
    question_ids: list = Field(default_factory=list, sa_column=json_column(nullable=False))
    params: dict = Field(default_factory=dict, sa_column=json_column(nullable=False))
    status: str = Field(default="queued", max_length=16)
    step: str = Field(default="", max_length=120)
    progress: float = Field(default=0.0)
    error: str | None = Field(default=None)
    metrics: dict = Field(default_factory=dict, sa_column=json_column(nullable=False))
    created_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
    finished_at: datetime | None = Field(default=None, sa_column=time_column())


class RunModel(SQLModel, table=True):
    """The fitted theme model of a run, kept to place answers that arrive later.

    ``data`` is ``analysis.ThemeModel.to_bytes()``: arrays (word vectors, centres, IDF weights and
    the vocabulary as hashes) with no pickle and no answer text, so erasing a person's answers
    leaves nothing of their words here. In a table of its own so that loading a run never loads
    the model's megabytes.
    """

    __tablename__ = "run_model"

    run_id: int = Field(foreign_key="analysis_run.id", primary_key=True, ondelete="CASCADE")
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))


class RunAnswer(SQLModel, table=True):
    """An answer a run has seen: those it learnt its themes from, and those its updates took in
    since (placed or left waiting). An update looks for answers not seen yet; a person's withdrawal
    looks here to know whether the kept model learnt from their words.

    Rows, not a list in the run's metrics: at 250,000 respondents the list held 1.2 million ids,
    read (and written) with the run on every theme page. Not a foreign key to the answer: an
    answer's row goes with the person's other traces, in ``surveys.theme_runs.forget_respondents``.
    """

    __tablename__ = "run_answer"

    run_id: int = Field(foreign_key="analysis_run.id", primary_key=True, ondelete="CASCADE")
    answer_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})


class Theme(SQLModel, table=True):
    __tablename__ = "theme"

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="analysis_run.id", index=True, ondelete="CASCADE")
    #: Set for sub-themes.
    parent_id: int | None = Field(default=None, foreign_key="theme.id", ondelete="CASCADE")
    label: str = Field(max_length=200)
    description: str = Field(default="", max_length=2000)
    keywords: list = Field(default_factory=list, sa_column=json_column(nullable=False))
    #: Representative quotes: ids of answers, never their text, so that a withdrawn or purged answer
    #: leaves no words behind. Shown as each answer's current redacted text.
    quote_ids: list = Field(default_factory=list, sa_column=json_column(nullable=False))
    sentiment: float | None = Field(default=None)
    reviewed: bool = Field(default=False)
    #: auto (from the model) or facilitator (created by hand).
    source: str = Field(default="auto", max_length=16)
    position: int = Field(default=0)


class ThemeAssignment(SQLModel, table=True):
    __tablename__ = "theme_assignment"
    __table_args__ = (
        UniqueConstraint("run_id", "answer_id", name="uq_assignment_once"),
        CheckConstraint("source IN ('auto', 'facilitator')", name="ck_assignment_source"),
        # A theme's answers in order: a page of a theme of 200,000 answers is read from here
        # (no sort of them all), and counting a theme reads its entries only.
        Index("ix_theme_assignment_theme_answer", "theme_id", "answer_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="analysis_run.id", index=True, ondelete="CASCADE")
    theme_id: int = Field(foreign_key="theme.id", ondelete="CASCADE")
    answer_id: int = Field(foreign_key="answer.id", index=True, ondelete="CASCADE")
    #: The sub-theme of ``theme_id`` the answer belongs to, if the engine found one.
    subtheme_id: int | None = Field(default=None, foreign_key="theme.id", index=True, ondelete="SET NULL")
    score: float | None = Field(default=None)
    source: str = Field(default="auto", max_length=16)
    #: How the answer feels: "negative", "mixed" or "positive" (None where not scored).
    sentiment: str | None = Field(default=None, max_length=8)


class ThemeTally(SQLModel, table=True):
    """What the theme pages count for one top-level theme of a run, or for the run itself (theme
    0): kept so that a view reads it rather than every answer (``surveys.theme_tally``)."""

    __tablename__ = "theme_tally"

    run_id: int = Field(foreign_key="analysis_run.id", primary_key=True, ondelete="CASCADE")
    #: The theme counted, or 0 for the run (so not a foreign key: its row goes with the run, and
    #: whatever removes a theme forgets its row).
    theme_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    counts: dict = Field(default_factory=dict, sa_column=json_column(nullable=False))


class EvaluationCode(SQLModel, table=True):
    """A facilitator's blind code for one sampled answer, to measure agreement with the model."""

    __tablename__ = "evaluation_code"
    __table_args__ = (UniqueConstraint("run_id", "answer_id", name="uq_evaluation_once"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="analysis_run.id", index=True, ondelete="CASCADE")
    answer_id: int = Field(foreign_key="answer.id", index=True, ondelete="CASCADE")
    #: Order in which the sampled answers are shown.
    position: int = Field(default=0)
    #: The theme the facilitator chose; null with ``coded`` means "none of these themes".
    theme_id: int | None = Field(default=None, foreign_key="theme.id", ondelete="SET NULL")
    coded: bool = Field(default=False)
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    coded_at: datetime | None = Field(default=None, sa_column=time_column())


class ThemeEdit(SQLModel, table=True):
    """One facilitator edit of a run's themes, with the exact rows it changed as they were before.

    The log is the run's undo stack: undoing the latest edit puts back ``before`` (themes, placings
    and blind-check codes, with their ids) and deletes the rows listed in ``created``, then deletes
    the entry. It holds ids and labels, never anyone's words. The audit trail records edits
    separately and is never read to undo.
    """

    __tablename__ = "theme_edit"

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="analysis_run.id", index=True, ondelete="CASCADE")
    action: str = Field(max_length=32)
    #: {"themes": [row, ...], "assignments": [row, ...], "codes": [row, ...]} before the edit.
    before: dict = Field(default_factory=dict, sa_column=json_column(nullable=False))
    #: {"themes": [id, ...], "assignments": [id, ...]} made by the edit, the themes it "touched" and
    #: the answers an update "seen" first (``RunAnswer``).
    created: dict = Field(default_factory=dict, sa_column=json_column(nullable=False))
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
