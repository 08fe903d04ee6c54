"""A facilitator's edits of a run's themes, each kept in the run's own edit log so undo is exact.

Before an edit changes anything it records the whole rows it is about to change: the themes (with
their sub-themes), the placings of answers and the blind-check codes that point at them. After it,
it records the ids of rows it made. Undo puts the recorded rows back under their own ids and deletes
what the edit made, so ids, sub-themes, keywords, labels and where each answer sits (and who put it
there) are as they were. The log is per run, so edits elsewhere never hide the last one here.

The audit trail is written by the caller, as before; undo never reads it. Operations add and
flush; the caller commits.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import delete, func, inspect
from sqlmodel import Session, select

from . import theme_tally
from .models import AnalysisRun, Answer, EvaluationCode, RunAnswer, Theme, ThemeAssignment, ThemeEdit
from .plain_text import storable
from .wording import N_, Refusal

#: Run metrics that say what the board is doing now, never put back by undo: the work placing
#: answers in the background ("busy") and what it last told the facilitator ("told").
TRANSIENT = ("busy", "told")


class EditError(Refusal):
    """A theme edit that cannot be made; the message is shown to the facilitator, in their language."""


def _row(obj) -> dict:
    """Every column of a row, as stored (JSON-safe: ints, strings, floats, lists)."""
    return {c.key: getattr(obj, c.key) for c in inspect(type(obj)).column_attrs}


def _theme(session: Session, run: AnalysisRun, theme_id: int) -> Theme:
    theme = session.get(Theme, theme_id)
    if theme is None or theme.run_id != run.id:
        raise EditError(N_("That theme is not part of this analysis."))
    return theme


def _visible(text: str) -> str:
    """``text`` composed (NFC: "é" one character, not "e" and an accent) and without invisible
    format characters (a zero-width space), so that names that look alike are alike."""
    return "".join(c for c in unicodedata.normalize("NFC", text) if unicodedata.category(c) != "Cf")


def same_name(label: str) -> str:
    """What two theme names are compared on: names that look the same, in any case, are the same."""
    return unicodedata.normalize("NFC", _visible(label).casefold())


def _label(text: str) -> str:
    label = " ".join(_visible(storable(text)).split())
    if not label or len(label) > 200:
        raise EditError(N_("Enter a theme name of 1 to 200 characters."))
    return label


def _refuse_taken(session: Session, run: AnalysisRun, label: str, theme_id: int | None = None) -> None:
    """Two themes of a run never share a name (the blind check and reports tell them apart)."""
    if unique_label(session, run, label, ignore=theme_id) != label:
        raise EditError(N_("Another theme is already called “%(label)s”. Choose a different name, or "
                           "merge the two themes."), label=label)


class _Log:
    """Collects one edit's before-state and what it creates, then writes its log entry."""

    def __init__(self, session: Session, run: AnalysisRun, action: str, user_id: int | None):
        self.session, self.run = session, run
        self.entry = ThemeEdit(run_id=run.id, action=action, user_id=user_id,
                               before={"themes": [], "assignments": [], "codes": []}, created={})
        self._themes: set[int] = set()
        self._assignments: set[int] = set()
        #: Themes whose answers may change, so whose kept counts are forgotten (but for those the
        #: edit brought up to date itself, ``counted``; undo forgets them all).
        self.touched: set[int] = set()
        self.counted: set[int] = set()

    def themes(self, *themes: Theme, members: bool = False) -> None:
        """Keep these themes (and their sub-themes); with ``members``, also their answers' placings
        and the blind-check codes that name them."""
        s = self.session
        ids = [t.id for t in themes]
        rows = list(themes) + list(s.exec(select(Theme).where(Theme.parent_id.in_(ids))
                                          .order_by(Theme.id)).all())
        for t in rows:
            if t.id not in self._themes:
                self._themes.add(t.id)
                self.entry.before["themes"].append(_row(t))
        if members:
            all_ids = [t.id for t in rows]
            # (An answer's sub-theme is one of its theme's; one placed before that was kept may
            # still name one of these, and the edit may clear it: it is kept too.)
            self.assignments(*s.exec(select(ThemeAssignment).where(
                ThemeAssignment.theme_id.in_(all_ids) | ThemeAssignment.subtheme_id.in_(all_ids))
                .order_by(ThemeAssignment.id)).all())
            self.entry.before["codes"] += [
                {"id": c.id, "theme_id": c.theme_id}
                for c in s.exec(select(EvaluationCode).where(EvaluationCode.theme_id.in_(all_ids))
                                .order_by(EvaluationCode.id))]

    def assignments(self, *rows: ThemeAssignment) -> None:
        for a in rows:
            if a.id not in self._assignments:
                self._assignments.add(a.id)
                self.entry.before["assignments"].append(_row(a))
                self.touched |= {a.theme_id, a.subtheme_id}

    def write(self, themes: list[int] = (), assignments: list[int] = (),
              same_answers: bool = False, seen: list[int] = ()) -> ThemeEdit:
        """Log the edit, and forget the kept counts of every theme it touched (and, when it placed
        answers, the run's: who is in it changed), which undo forgets again. An edit that leaves
        every answer where it was (``same_answers``: a new name, marked reviewed) forgets none."""
        touched = [] if same_answers else \
            sorted(t for t in self.touched | self._themes | set(themes) if t is not None)
        self.entry.created = {"themes": list(themes), "assignments": list(assignments), "touched": touched,
                              **({"seen": list(seen)} if seen else {})}
        self.session.add(self.entry)
        self.session.flush()
        _forget_counts(self.session, self.run, self.entry, self.counted)
        return self.entry


def _forget_counts(session: Session, run: AnalysisRun, edit: ThemeEdit,
                   counted: set[int] = frozenset()) -> None:
    if edit.created.get("assignments") or "touched" not in edit.created:  # (logged before counts were kept)
        theme_tally.forget_run(session, run.id)
    else:
        theme_tally.forget(session, run.id, set(edit.created["touched"]) - counted)


def rename_theme(session: Session, run: AnalysisRun, theme_id: int, label: str,
                 description: str = "", user_id: int | None = None) -> dict:
    """Rename and describe a theme. Returns what it was, for the audit trail."""
    label = _label(label)
    theme = _theme(session, run, theme_id)
    if theme.parent_id is None:
        _refuse_taken(session, run, label, theme.id)
    log = _Log(session, run, "rename", user_id)
    log.themes(theme)
    before = {"label": theme.label, "description": theme.description}
    theme.label, theme.description = label, description.strip()[:2000]
    theme.source = "facilitator" if theme.source == "auto" else theme.source
    session.add(theme)
    log.write(same_answers=True)
    return before


def set_reviewed(session: Session, run: AnalysisRun, theme_id: int, reviewed: bool,
                 user_id: int | None = None) -> dict:
    theme = _theme(session, run, theme_id)
    log = _Log(session, run, "review", user_id)
    log.themes(theme)
    theme.reviewed = reviewed
    session.add(theme)
    log.write(same_answers=True)
    return {"reviewed": reviewed}


def merge_themes(session: Session, run: AnalysisRun, source_id: int, target_id: int,
                 user_id: int | None = None) -> dict:
    """Move every answer of ``source`` into ``target`` and remove ``source`` and its sub-themes."""
    if source_id == target_id:
        raise EditError(N_("Choose a different theme to merge with."))
    source, target = _theme(session, run, source_id), _theme(session, run, target_id)
    if source.parent_id is not None or target.parent_id is not None:
        raise EditError(N_("Choose a theme, not a sub-theme."))
    log = _Log(session, run, "merge", user_id)
    log.themes(source, members=True)
    log.themes(target)
    gone = [source.id] + list(session.exec(select(Theme.id).where(Theme.parent_id == source.id)).all())
    moved = session.exec(select(ThemeAssignment).where(ThemeAssignment.theme_id.in_(gone))).all()
    for a in moved:  # (their sub-themes go with the theme: the target's are not theirs)
        a.theme_id, a.subtheme_id, a.source = target.id, None, "facilitator"
        session.add(a)
    target.keywords = list(dict.fromkeys(target.keywords + source.keywords))[:12]
    target.quote_ids = list(dict.fromkeys(target.quote_ids + source.quote_ids))[:5]
    session.add(target)
    detail = {"merged": source.label, "into": target.label, "answers": [a.answer_id for a in moved]}
    session.flush()
    # Bulk deletes (no reliance on ORM cascades). Blind-check codes that named the theme now name
    # the target, as the model's placings do (as broaden hands them on), until undo puts them back.
    session.exec(EvaluationCode.__table__.update().where(EvaluationCode.theme_id.in_(gone))
                 .values(theme_id=target.id))
    session.exec(delete(Theme).where(Theme.parent_id == source.id))
    session.exec(delete(Theme).where(Theme.id == source.id))
    session.expunge(source)
    log.write()
    return detail


def move_answer(session: Session, run: AnalysisRun, answer_id: int, target_id: int,
                user_id: int | None = None) -> dict:
    """Put an answer in another theme, in none of its sub-themes (those of the theme it left are
    not the new theme's)."""
    target = _theme(session, run, target_id)
    if target.parent_id is not None:
        raise EditError(N_("Choose a theme, not a sub-theme."))
    assignment = session.exec(select(ThemeAssignment).where(
        ThemeAssignment.run_id == run.id, ThemeAssignment.answer_id == answer_id)).first()
    if assignment is None:
        raise EditError(N_("That answer is not part of this analysis."))
    log = _Log(session, run, "move", user_id)
    log.assignments(assignment)
    log.touched.add(target.id)
    before, was_loose = assignment.theme_id, assignment.subtheme_id is None
    if target.id != before:
        assignment.subtheme_id = None
    assignment.theme_id, assignment.source = target.id, "facilitator"
    session.add(assignment)
    session.flush()
    if theme_tally.moved(session, run, answer_id, before, target.id, was_loose):
        log.counted |= {before, target.id}
    log.write()
    return {"answer": answer_id, "from": before, "to": target.id}


def create_theme(session: Session, run: AnalysisRun, label: str, user_id: int | None = None) -> Theme:
    label = _label(label)
    _refuse_taken(session, run, label)
    last = session.exec(select(Theme.position).where(Theme.run_id == run.id)
                        .order_by(Theme.position.desc())).first()
    theme = Theme(run_id=run.id, label=label, source="facilitator", position=(last or 0) + 1)
    session.add(theme)
    session.flush()
    _Log(session, run, "create", user_id).write(themes=[theme.id])
    return theme


@dataclass
class NewTheme:
    """One theme a split would make: its (unique) label and the answers that would move to it."""

    label: str
    answer_ids: list[int]
    #: The sub-theme it is made from, when splitting by sub-themes.
    subtheme: Theme | None = None
    examples: list[str] = field(default_factory=list)


@dataclass
class SplitPlan:
    theme: Theme
    new: list[NewTheme]
    #: Answers that stay in the theme.
    staying: int


def unique_label(session: Session, run: AnalysisRun, wanted: str, taken: set[str] = frozenset(),
                 ignore: int | None = None) -> str:
    """``wanted``, or ``wanted (2)``, ``(3)``… so that no two themes of the run share a name."""
    names = {same_name(n) for n in session.exec(select(Theme.label).where(
        Theme.run_id == run.id, Theme.parent_id.is_(None), Theme.id != (ignore or -1)))} | \
        {same_name(n) for n in taken}
    wanted = _label(wanted)
    label, n = wanted, 1
    while same_name(label) in names:
        n += 1
        label = f"{wanted[:190]} ({n})"
    return label


def _members(session: Session, theme: Theme) -> list[tuple[ThemeAssignment, str]]:
    return session.exec(select(ThemeAssignment, Answer.text_redacted)
                        .join(Answer, Answer.id == ThemeAssignment.answer_id)
                        .where(ThemeAssignment.theme_id == theme.id)
                        .order_by(ThemeAssignment.answer_id)).all()


def example_texts(texts: list[str], n: int = 3) -> list[str]:
    """Whole answers to show in a preview, those without redaction placeholders first."""
    return sorted(texts, key=lambda t: ("[" in t, abs(len(t) - 120)))[:n]


def plan_split(session: Session, run: AnalysisRun, theme_id: int, subtheme_ids: list[int] = (),
               phrase: str = "", label: str = "") -> SplitPlan:
    """What a split would do, without doing it: by the chosen sub-themes, or by a word or phrase
    (answers that contain it become a new theme, named ``label`` or after the phrase)."""
    theme = _theme(session, run, theme_id)
    if theme.parent_id is not None:
        raise EditError(N_("Choose a theme, not a sub-theme."))
    rows = _members(session, theme)
    phrase = " ".join(phrase.split())
    if subtheme_ids and phrase:
        raise EditError(N_("Split by sub-themes or by a word or phrase, not both."))
    if subtheme_ids:
        subs = {t.id: t for t in session.exec(select(Theme).where(Theme.parent_id == theme.id))}
        chosen = [subs[i] for i in dict.fromkeys(subtheme_ids) if i in subs]
        if len(chosen) != len(set(subtheme_ids)):
            raise EditError(N_("Choose sub-themes of this theme."))
        new, taken = [], set()
        for sub in chosen:
            members = [(a, text) for a, text in rows if a.subtheme_id == sub.id]
            name = unique_label(session, run, sub.label, taken, ignore=None)
            taken.add(name)
            new.append(NewTheme(name, [a.answer_id for a, _ in members], sub,
                                example_texts([text for _, text in members])))
        if not any(n.answer_ids for n in new):
            raise EditError(N_("No answers are in the sub-themes you chose."))
    elif phrase:
        if len(phrase) > 100:
            raise EditError(N_("Enter a word or phrase of up to 100 characters."))
        pattern = re.compile(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", re.IGNORECASE)
        members = [(a, text) for a, text in rows if pattern.search(text or "")]
        if not members:
            raise EditError(N_("No answer in this theme contains “%(phrase)s”."), phrase=phrase)
        name = unique_label(session, run, label or phrase[:1].upper() + phrase[1:])
        new = [NewTheme(name, [a.answer_id for a, _ in members], None,
                        example_texts([text for _, text in members]))]
    else:
        raise EditError(N_("Choose sub-themes to split off, or enter a word or phrase."))
    moving = sum(len(n.answer_ids) for n in new)
    if moving >= len(rows):
        raise EditError(N_("That would move every answer out of this theme. Leave some answers in it."))
    return SplitPlan(theme, new, len(rows) - moving)


def split_theme(session: Session, run: AnalysisRun, theme_id: int, subtheme_ids: list[int] = (),
                phrase: str = "", label: str = "", user_id: int | None = None) -> dict:
    """Make the split that ``plan_split`` describes. A sub-theme split off becomes a theme itself
    (same id, its keywords and quotes); a phrase makes a new theme. Every theme keeps a name of
    its own."""
    plan = plan_split(session, run, theme_id, subtheme_ids, phrase, label)
    theme = plan.theme
    log = _Log(session, run, "split", user_id)
    log.themes(theme, members=True)
    created, made = [], []
    for new in plan.new:
        if new.subtheme is not None:
            target = new.subtheme
            target.parent_id, target.label, target.source = None, new.label, "facilitator"
            target.position = theme.position
        else:
            target = Theme(run_id=run.id, label=new.label, keywords=[" ".join(phrase.split())],
                           quote_ids=quote_choice(session, new.answer_ids), position=theme.position,
                           source="facilitator")
        session.add(target)
        session.flush()
        if new.subtheme is None:
            created.append(target.id)
        made.append(target)
        moving = set(new.answer_ids)
        for a, _ in _members(session, theme):
            if a.answer_id in moving:
                a.theme_id, a.subtheme_id, a.source = target.id, None, "facilitator"
                session.add(a)
        session.flush()
    # What was split off took its words with it: the theme left keeps the keywords still its own.
    keep_keywords_still_used(session, {theme.id})
    log.write(themes=created)
    return {"themes": [t.id for t in made], "labels": [t.label for t in made], "from": theme.id,
            "answers": sum(len(n.answer_ids) for n in plan.new)}


def keep_keywords_still_used(session: Session, theme_ids: set[int]) -> None:
    """A theme's keywords were learnt from its answers, so one may be a word only answers that have
    left it used (a forgotten person's, or those split off): keep only those the theme's remaining
    answers still use. (Labels need two
    answers, and may be a facilitator's own words: they are left alone.)"""
    for theme in session.exec(select(Theme).where(Theme.id.in_(theme_ids))).all() if theme_ids else ():
        column = ThemeAssignment.subtheme_id if theme.parent_id is not None else ThemeAssignment.theme_id
        words = {w for text in session.exec(
            select(Answer.text_redacted).join(ThemeAssignment, ThemeAssignment.answer_id == Answer.id)
            .where(column == theme.id)).all() for w in words_of(text or "")}
        kept = [k for k in theme.keywords if set(words_of(k)) <= words]
        if kept != theme.keywords:
            theme.keywords = kept
            session.add(theme)


def words_of(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text.casefold())


def quote_choice(session: Session, answer_ids: list[int], n: int = 3) -> list[int]:
    texts = dict(session.exec(select(Answer.id, Answer.text_redacted).where(Answer.id.in_(answer_ids))).all())
    chosen = example_texts([t for t in texts.values() if t], n)
    by_text = {t: a for a, t in sorted(texts.items(), reverse=True)}
    return [by_text[t] for t in chosen]


def log_placed(session: Session, run: AnalysisRun, assignment_ids: list[int], metrics_before: dict,
               theme_ids: list[int] = (), user_id: int | None = None,
               action: str = "update", seen: list[int] = ()) -> ThemeEdit:
    """Log answers placed by an update (which saw the answers ``seen`` for the first time), by
    accepting a proposed theme ("accept", with the theme it made) or by placing waiting answers
    anyway ("place"), so it can be undone; the run's counts and proposals go back too, and it
    sees those answers no more, so the same answers are new (or waiting) again."""
    log = _Log(session, run, action, user_id)
    log.entry.before["run_metrics"] = {k: v for k, v in metrics_before.items() if k not in TRANSIENT}
    return log.write(themes=theme_ids, assignments=assignment_ids, seen=list(seen))


def last_edit(session: Session, run: AnalysisRun) -> ThemeEdit | None:
    return session.exec(select(ThemeEdit).where(ThemeEdit.run_id == run.id)
                        .order_by(ThemeEdit.id.desc()).limit(1)).first()


def undo_last(session: Session, run: AnalysisRun, expected: int | None = None) -> ThemeEdit:
    """Put back the rows the latest edit changed, delete what it made, and drop it from the log.
    With ``expected`` (the edit the page's undo button named), refuse unless that edit is still
    the latest: a page loaded before another change would otherwise undo that change instead."""
    edit = session.exec(select(ThemeEdit).where(ThemeEdit.run_id == run.id)
                        .order_by(ThemeEdit.id.desc()).limit(1).with_for_update()).first()
    if edit is None:
        raise EditError(N_("There is nothing to undo."))
    if expected is not None and edit.id != expected:
        raise EditError(N_("The themes were changed after this page was loaded, so that is no longer "
                           "the last change. Nothing was undone. The undo button now says what it "
                           "would undo."))
    before, created = edit.before, edit.created
    if created.get("assignments"):
        session.exec(delete(ThemeAssignment).where(ThemeAssignment.id.in_(created["assignments"])))
    # Parents before sub-themes, so a re-inserted sub-theme finds its parent.
    for row in sorted(before.get("themes", []), key=lambda r: (r["parent_id"] is not None, r["id"])):
        _put_back(session, Theme, row)
        session.flush()
    answers = {a["answer_id"] for a in before.get("assignments", [])}
    still_there = set(session.exec(select(Answer.id).where(Answer.id.in_(answers))).all())
    for row in before.get("assignments", []):
        if row["answer_id"] in still_there:  # an answer withdrawn since stays gone
            _put_back(session, ThemeAssignment, row)
    session.flush()
    for row in before.get("codes", []):
        code = session.get(EvaluationCode, row["id"])
        if code is not None:
            code.theme_id = row["theme_id"]
            session.add(code)
    session.flush()
    if created.get("themes"):
        session.exec(delete(Theme).where(Theme.id.in_(created["themes"])))
    if created.get("seen"):
        session.exec(delete(RunAnswer).where(RunAnswer.run_id == run.id,
                                             RunAnswer.answer_id.in_(created["seen"])))
    if "run_metrics" in before:  # what the board is doing now is not part of the edit
        run.metrics = {**before["run_metrics"], **{k: run.metrics[k] for k in TRANSIENT if k in run.metrics}}
        session.add(run)
    _forget_counts(session, run, edit)
    session.delete(edit)
    session.flush()
    return edit


def _put_back(session: Session, model, row: dict) -> None:
    obj = session.get(model, row["id"])
    if obj is None:
        session.add(model(**row))
        return
    for key, value in row.items():
        setattr(obj, key, value)
    session.add(obj)


def broader_counts(session: Session, run: AnalysisRun) -> list[int]:
    """Theme counts the board can offer for "fewer, broader themes": cuts of the run's theme tree."""
    top = len(top_themes(session, run.id))
    joinable = len(_broad_groups(session, run, 1)[0]) if top > 2 else top
    wanted = {round(top * f) for f in (2 / 3, 1 / 2, 1 / 3, 1 / 4)} | {5}
    return sorted(k for k in wanted if max(2, joinable) <= k < top)


def top_themes(session: Session, run_id: int, besides: int | None = None,
               by_label: bool = False) -> list[Theme]:
    """A run's top-level themes in board order, or by name (leaving out ``besides``)."""
    query = select(Theme).where(Theme.run_id == run_id, Theme.parent_id.is_(None))
    if besides is not None:
        query = query.where(Theme.id != besides)
    return list(session.exec(query.order_by(Theme.label if by_label else Theme.position)).all())


def _broad_groups(session: Session, run: AnalysisRun, count: int) -> tuple[list[list[Theme]], dict]:
    """The run's themes joined along its theme tree (most alike first) until ``count`` groups are
    left, or the tree has no more joins for them (themes made by hand are not in it). Each
    group's largest theme comes first. Also returns each theme's number of answers."""
    top = top_themes(session, run.id)
    sizes = {t: counts["answers"] for t, counts in theme_tally.tallies(session, run).themes.items()}
    lead = {t.id: t.id for t in top}

    def find(i: int) -> int:
        while lead[i] != i:
            i = lead[i]
        return i

    groups = len(top)
    for a, b in run.metrics.get("theme_tree", []):
        if groups <= count:
            break
        if a in lead and b in lead and find(a) != find(b):
            lead[find(b)] = find(a)
            groups -= 1
    by_lead: dict[int, list[Theme]] = {}
    for t in top:
        by_lead.setdefault(find(t.id), []).append(t)
    ordered = [sorted(g, key=lambda t: (-sizes.get(t.id, 0), t.position)) for g in by_lead.values()]
    return sorted(ordered, key=lambda g: min(t.position for t in g)), sizes


def broaden(session: Session, run: AnalysisRun, count: int, user_id: int | None = None) -> dict:
    """Fewer, broader themes: join the most alike themes until ``count`` are left. Each joined
    group becomes a broad theme, named after its largest member, with the members as its
    sub-themes (their own sub-themes fold into them). Nothing is refitted; undo puts it back."""
    top = top_themes(session, run.id)
    if not 2 <= count < len(top):
        raise EditError(N_("Choose a number of themes from 2 to %(most)s."), most=len(top) - 1)
    groups, sizes = _broad_groups(session, run, count)
    joined = [g for g in groups if len(g) > 1]
    if len(groups) > count:
        raise EditError(N_("These themes can be joined into %(fewest)s at the fewest: themes made or "
                           "split by hand are not part of the analysis's tree."), fewest=len(groups))
    members = [t for g in joined for t in g]
    log = _Log(session, run, "broaden", user_id)
    log.themes(*members, members=True)
    made, taken = [], set()
    member_ids = [t.id for t in members]
    for group in joined:
        leader = group[0]
        label = unique_label(session, run, leader.label, taken, ignore=leader.id)
        taken.add(label)
        broad = Theme(run_id=run.id, label=label, position=min(t.position for t in group),
                      description="Brings together: " + "; ".join(t.label for t in group) + ".",
                      keywords=list(dict.fromkeys(k for t in group for k in t.keywords))[:12],
                      quote_ids=list(dict.fromkeys(q for t in group for q in t.quote_ids[:2]))[:5],
                      source="facilitator")
        session.add(broad)
        session.flush()
        made.append(broad)
        for position, member in enumerate(group):
            old_subs = select(Theme.id).where(Theme.parent_id == member.id)
            for a in session.exec(select(ThemeAssignment).where(
                    (ThemeAssignment.theme_id == member.id) | ThemeAssignment.theme_id.in_(old_subs))):
                a.theme_id, a.subtheme_id = broad.id, member.id
                session.add(a)
            session.flush()
            session.exec(EvaluationCode.__table__.update().where(EvaluationCode.theme_id == member.id)
                         .values(theme_id=broad.id))
            session.exec(delete(Theme).where(Theme.parent_id == member.id))
            member.parent_id, member.position = broad.id, position
            session.add(member)
        session.flush()
    log.write(themes=[t.id for t in made])
    return {"themes": len(top) - len(member_ids) + len(made), "broad": [t.label for t in made],
            "joined": len(member_ids)}


def narrow(session: Session, run: AnalysisRun, user_id: int | None = None) -> dict:
    """More, narrower themes: every sub-theme becomes a theme of its own (with a name of its own);
    answers in no sub-theme stay in their theme, which goes if none are left. Undo puts it back."""
    parents = [t for t in top_themes(session, run.id)
               if session.exec(select(Theme.id).where(Theme.parent_id == t.id)).first() is not None]
    if not parents:
        raise EditError(N_("No theme has sub-themes to split it into."))
    log = _Log(session, run, "narrow", user_id)
    log.themes(*parents, members=True)
    out, gone = [], []
    for parent in parents:
        subs = session.exec(select(Theme).where(Theme.parent_id == parent.id).order_by(Theme.position)).all()
        out += subs
        for sub in subs:
            # Only the parent's own answers in the sub-theme go with it: an answer moved out of
            # the parent left its sub-theme behind (one still naming it is put right, in its theme).
            for a in session.exec(select(ThemeAssignment).where(ThemeAssignment.subtheme_id == sub.id)):
                if a.theme_id == parent.id:
                    a.theme_id = sub.id
                a.subtheme_id = None
                session.add(a)
            sub.parent_id, sub.position = None, parent.position
            session.add(sub)
            session.flush()
        left = session.exec(select(func.count()).select_from(ThemeAssignment)
                            .where(ThemeAssignment.theme_id == parent.id)).one()
        if not left:
            session.exec(EvaluationCode.__table__.update().where(EvaluationCode.theme_id == parent.id)
                         .values(theme_id=None))
            session.exec(delete(Theme).where(Theme.id == parent.id))
            session.expunge(parent)
            gone.append(parent.label)
    session.flush()
    # Named once the themes left empty are gone: a broad theme is named after one of its
    # sub-themes, which keeps that name when the broad theme goes (it was "Name (2)", with no "Name").
    made = []
    for sub in out:
        sub.label = unique_label(session, run, sub.label, ignore=sub.id)
        session.add(sub)
        session.flush()
        made.append(sub.label)
    log.write()
    return {"themes": len(top_themes(session, run.id)), "new": made, "removed": gone}
