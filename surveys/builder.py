"""Editing a consultation: the builder's domain operations (they add and flush, never commit).

While a consultation is a draft everything can change. Once it has opened its structure is frozen
(pages, questions, keys, types, options, routing): only wording may be fixed, and each fix bumps
``Consultation.version`` so the change is visible and recorded. Every structural change is checked
against the same rules as an imported definition file, so what the builder makes always exports
and re-imports.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlmodel import Session, select

from .consultations import by_slug
from .models import Answer, Consultation, Page, Question, utcnow
from .option_keys import assign_keys, slug, unique
from .readiness import readiness, route_answers
from .segments import regroup_consultation
from .types import get_type
from .types.base import KEY_CHARS
from .wording import N_, Refusal

#: Which status may follow which.
TRANSITIONS = {"draft": ("open", "archived"), "open": ("closed",), "closed": ("open", "archived"),
               "archived": ()}
WORDING_SETTINGS = ("title", "summary", "audience", "consent_text")
OTHER_SETTINGS = ("retention_days", "show_results", "min_group_size")


class BuilderError(Refusal):
    """A change that cannot be made; ``field`` names the form field it is about, if any. The
    message (``msgid`` and its parameters) is in the reader's language when read."""

    def __init__(self, msgid: str, field: str | None = None, **params):
        super().__init__(msgid, **params)
        self.field = field


def is_frozen(consultation: Consultation) -> bool:
    return consultation.status != "draft"


def _require_draft(consultation: Consultation) -> None:
    if is_frozen(consultation):
        raise BuilderError(N_("This consultation has opened, so its structure cannot change. "
                              "You can still fix wording."))


#: What a key that is not 1 to 80 lowercase letters, digits and hyphens is told, by what it names.
KEY_RULES = {
    "slug": N_("The web address name must be 1 to 80 lowercase letters, digits and hyphens"),
    "page": N_("The page key must be 1 to 80 lowercase letters, digits and hyphens"),
    "question": N_("The question key must be 1 to 80 lowercase letters, digits and hyphens"),
}


def check_key(value: str, what: str, field: str = "key") -> str:
    """``value`` as a key; ``what`` it names: "slug", "page" or "question"."""
    value = (value or "").strip()
    if not value or len(value) > 80 or not set(value) <= KEY_CHARS:
        raise BuilderError(KEY_RULES[what], field)
    return value


def _made_key(words: str, taken, fallback: str) -> str:
    """A readable key from a title or question, unique among ``taken`` (none was typed)."""
    return unique(slug(words, fallback), set(taken))


#: What a form opened before the consultation's last edit is told when it is sent: saving it would
#: put back what someone else (or another tab) changed since.
CHANGED_SINCE_OPENED = N_("This consultation was changed in another tab or by someone else since you opened "
                          "this page. Nothing was saved: reload the page to see the changes, then make "
                          "yours again.")


def edit_stamp(consultation: Consultation) -> str:
    """The consultation's edit stamp: every edit (builder, Welsh version, status) moves it on. A
    form carries the stamp from when it was opened, and :func:`check_unchanged` compares it."""
    return consultation.updated_at.isoformat(timespec="microseconds")


def check_unchanged(session: Session, consultation: Consultation, stamp: str | None) -> None:
    """Refuse a form opened before the consultation's last edit (``stamp`` is the one it carries;
    None, a form without one, is not checked). The stamp is read from the database and the row
    locked (PostgreSQL) so two forms sent at once cannot both pass."""
    if stamp is None:
        return
    now = session.exec(select(Consultation.updated_at).where(Consultation.id == consultation.id)
                       .with_for_update()).one()
    if stamp != now.isoformat(timespec="microseconds"):
        raise BuilderError(CHANGED_SINCE_OPENED)


def _touch(consultation: Consultation, session: Session) -> None:
    consultation.updated_at = utcnow()
    session.add(consultation)


def problems(session: Session, consultation: Consultation, complete: bool = True) -> list[str]:
    """What is wrong with the consultation as a whole (``complete=False``: leaving out what only
    means "not finished yet")."""
    return [p.message for p in readiness(session, consultation) if complete or not p.unfinished]


def _check(session: Session, consultation: Consultation) -> None:
    found = problems(session, consultation, complete=False)
    if found:
        raise BuilderError(". ".join(found))


# Consultations --------------------------------------------------------------------------------

def create_consultation(session: Session, slug: str, title: str, **settings) -> Consultation:
    slug = check_key(slug, "slug", "slug")
    if by_slug(session, slug):
        raise BuilderError(N_("A consultation called ‘%(slug)s’ already exists"), "slug", slug=slug)
    consultation = Consultation(slug=slug, title=title, **settings)
    session.add(consultation)
    session.flush()
    return consultation


def update_settings(session: Session, consultation: Consultation, values: Mapping) -> dict:
    """Change settings; returns {name: [old, new]} for what changed. Once open, only wording and
    retention/results settings change, and a wording change bumps the version. Once open, answers
    are never kept longer than people were told when they gave them: the same period or shorter."""
    _check_retention(consultation, values.get("retention_days"))
    changes = {}
    for name in WORDING_SETTINGS + OTHER_SETTINGS:
        if name in values and getattr(consultation, name) != values[name]:
            changes[name] = [getattr(consultation, name), values[name]]
            setattr(consultation, name, values[name])
    if is_frozen(consultation) and any(n in WORDING_SETTINGS for n in changes):
        consultation.version += 1
    if changes:
        _touch(consultation, session)
        session.flush()
    return changes


def _check_retention(consultation: Consultation, days) -> None:
    if is_frozen(consultation) and isinstance(days, int) and days > consultation.retention_days:
        raise BuilderError(N_("People have been told their answers are kept for %(days)s days after "
                              "closing, so the period cannot be made longer now. Keep it the same or "
                              "make it shorter"), "retention_days", days=f"{consultation.retention_days:,}")


def set_status(session: Session, consultation: Consultation, status: str) -> None:
    if status not in TRANSITIONS[consultation.status]:
        raise BuilderError(N_("The consultation cannot be given that status from the status it has now"))
    if status == "open":
        if problems(session, consultation, complete=True):
            raise BuilderError(N_("The consultation is not ready to open. Put right the things listed "
                                  "under ‘Not ready to open’ first"))
        if consultation.opens_at is None:
            consultation.opens_at = utcnow()
        # Closing stamped the time it closed; kept, it would end every new link to carry on.
        consultation.closes_at = None
    if status == "closed":
        consultation.closes_at = utcnow()
    consultation.status = status
    _touch(consultation, session)
    session.flush()


# Pages ----------------------------------------------------------------------------------------

def pages_of(session: Session, consultation: Consultation) -> list[Page]:
    return list(session.exec(select(Page).where(Page.consultation_id == consultation.id)
                             .order_by(Page.position, Page.id)).all())


def questions_of(session: Session, consultation: Consultation) -> list[Question]:
    """All questions in the order a respondent meets them."""
    pages = {p.id: p.position for p in pages_of(session, consultation)}
    qs = session.exec(select(Question).where(Question.consultation_id == consultation.id)).all()
    return sorted(qs, key=lambda q: (pages[q.page_id], q.position, q.id))


def _show_if(session: Session, consultation: Consultation, question_key: str | None,
             answers: list[str], before: Page | None = None) -> dict | None:
    """A routing rule on an earlier question with a list of answers (``before``: the page it is for,
    or None for a page about to be added at the end)."""
    if not question_key:
        return None
    earlier = {q.key: q for q in questions_of(session, consultation)
               if before is None or _page_position(session, q) < before.position}
    q = earlier.get(question_key)
    if q is None or not get_type(q.type).can_route:
        raise BuilderError(N_("Choose a question that comes before this page and has a list of answers"),
                           "show_if_question")
    if not answers:
        raise BuilderError(N_("Choose which answer shows this page"), "show_if_in")
    if not set(answers) <= set(route_answers(q)):
        raise BuilderError(N_("Choose answers from the list given"), "show_if_in")
    return {"question": question_key, "in": [a for a in route_answers(q) if a in answers]}


def _page_position(session: Session, question: Question) -> int:
    return session.get(Page, question.page_id).position


def add_page(session: Session, consultation: Consultation, key: str, kind: str, title: str,
             body: str = "", show_if_question: str | None = None,
             show_if_in: list[str] | None = None) -> Page:
    _require_draft(consultation)
    key = check_key(key or _made_key(title, [p.key for p in pages_of(session, consultation)], "page"),
                    "page")
    if session.exec(select(Page).where(Page.consultation_id == consultation.id, Page.key == key)).first():
        raise BuilderError(N_("There is already a page with the key ‘%(key)s’"), "key", key=key)
    if kind not in ("briefing", "questions"):
        raise BuilderError(N_("Choose the kind of page"), "kind")
    position = len(pages_of(session, consultation))
    page = Page(consultation_id=consultation.id, key=key, position=position, kind=kind, title=title,
                body=body if kind == "briefing" else "",
                show_if=_show_if(session, consultation, show_if_question, show_if_in or []))
    session.add(page)
    _touch(consultation, session)
    _check(session, consultation)
    return page


def update_page(session: Session, consultation: Consultation, page: Page, title: str, body: str,
                show_if_question: str | None = None, show_if_in: list[str] | None = None) -> dict:
    """Change a page; once open only its title and text (a wording fix)."""
    changes = {}
    show_if = page.show_if
    if not is_frozen(consultation):
        show_if = _show_if(session, consultation, show_if_question, show_if_in or [], before=page)
    elif (show_if_question or None) != (page.show_if or {}).get("question") or \
            (show_if_question and set(show_if_in or []) != set(page.show_if.get("in") or [])):
        raise BuilderError(N_("Routing cannot change once the consultation has opened"), "show_if_question")
    body = body if page.kind == "briefing" else ""
    for name, value in (("title", title), ("body", body), ("show_if", show_if)):
        if getattr(page, name) != value:
            changes[name] = [getattr(page, name), value]
            setattr(page, name, value)
    if changes:
        session.add(page)
        if is_frozen(consultation):
            consultation.version += 1
        _touch(consultation, session)
        _check(session, consultation)
    return changes


def delete_page(session: Session, consultation: Consultation, page: Page) -> None:
    _require_draft(consultation)
    regroup = False
    for q in session.exec(select(Question).where(Question.page_id == page.id)).all():
        _clear_references(session, consultation, q)
        regroup = regroup or q.is_segment
        session.delete(q)
    session.delete(page)
    session.flush()
    if regroup:  # no segment question now: nobody is in a group
        regroup_consultation(session, consultation.id)
    _renumber(session, pages_of(session, consultation))
    _touch(consultation, session)
    _check(session, consultation)


def move_page(session: Session, consultation: Consultation, page: Page, delta: int) -> None:
    _require_draft(consultation)
    _move(session, consultation, pages_of(session, consultation), page, delta,
          N_("The page cannot move further that way"))


def _move(session: Session, consultation: Consultation, items: list, item, delta: int, refusal: str) -> None:
    """Swap ``item`` with its neighbour ``delta`` places along ``items`` (its page's questions, or the
    pages), or refuse with ``refusal`` at either end; the consultation must still be valid."""
    i = next(i for i, other in enumerate(items) if other.id == item.id)
    j = i + delta
    if not 0 <= j < len(items):
        raise BuilderError(refusal)
    items[i], items[j] = items[j], items[i]
    _renumber(session, items)
    _touch(consultation, session)
    _check(session, consultation)


def _renumber(session: Session, items) -> None:
    for position, item in enumerate(items):
        if item.position != position:
            item.position = position
            session.add(item)
    session.flush()


# Questions ------------------------------------------------------------------------------------

def questions_on(session: Session, page: Page) -> list[Question]:
    return list(session.exec(select(Question).where(Question.page_id == page.id)
                             .order_by(Question.position, Question.id)).all())


def _has_answers(session: Session, question: Question) -> bool:
    return session.exec(select(Answer.id).where(Answer.question_id == question.id).limit(1)).first() \
        is not None


def _with_keys(session: Session, consultation: Consultation, type_name: str, config: Mapping,
               question: Question | None = None, is_segment: bool = False) -> tuple[dict, dict]:
    """``config`` with a key on every option (made from its label where it has none, see
    ``option_keys``), and the keys that changed. Keys stay as they are once the consultation has
    opened or people have answered, and on the segment question (reports know its groups by key)."""
    config = dict(config)
    renamed: dict[str, str] = {}
    keep_all = (is_frozen(consultation) or is_segment
                or (question is not None and (question.is_segment or _has_answers(session, question))))
    for setting in get_type(type_name).settings:
        rows = config.get(setting.key)
        if setting.kind != "options" or not isinstance(rows, list) or not all(
                isinstance(r, Mapping) and isinstance(r.get("label"), str) for r in rows):
            continue  # not options, or not rows: the config check says what is wrong
        stored = (question.config.get(setting.key) if question is not None else None) or []
        previous = {str(o.get("key")): o.get("label") for o in stored if isinstance(o, Mapping)}
        config[setting.key], changed = assign_keys(rows, previous, keep_all)
        renamed.update(changed)
    return config, renamed


def _follow_renamed(session: Session, consultation: Consultation, question: Question,
                    renamed: Mapping[str, str]) -> None:
    """Routing on ``question``'s answers follows its options' new keys."""
    for page in pages_of(session, consultation):
        rule = page.show_if
        if rule and rule.get("question") == question.key and set(rule.get("in") or []) & set(renamed):
            page.show_if = {**rule, "in": [renamed.get(a, a) for a in rule["in"]]}
            session.add(page)


def _config(type_name: str, config: Mapping) -> dict:
    found = get_type(type_name).check_config(config)
    if found:
        said = "; ".join(found)  # the types' own words; only the first letter raised (keys keep case)
        raise BuilderError(said[:1].upper() + said[1:], "config")
    return dict(config)


def _repeat_of(session: Session, consultation: Consultation, key: str | None,
               type_name: str) -> int | None:
    if not key:
        return None
    original = session.exec(select(Question).where(Question.consultation_id == consultation.id,
                                                   Question.key == key)).first()
    if original is None:
        raise BuilderError(N_("There is no question with the key ‘%(key)s’"), "repeat_of", key=key)
    if original.type != type_name:
        raise BuilderError(N_("A repeated question must be of the same type as the original"), "repeat_of")
    return original.id


def _segment(session: Session, consultation: Consultation, type_name: str, is_segment: bool,
             except_id: int | None = None) -> None:
    if not is_segment:
        return
    if not get_type(type_name).can_segment:
        raise BuilderError(N_("Only a ‘one answer from a list’ question can be the segment question"),
                           "is_segment")
    other = session.exec(select(Question).where(Question.consultation_id == consultation.id,
                                                Question.is_segment)).first()
    if other is not None and other.id != except_id:
        raise BuilderError(N_("The question ‘%(key)s’ is already the segment question"), "is_segment",
                           key=other.key)


def add_question(session: Session, consultation: Consultation, page: Page, key: str, type_name: str,
                 prompt: str, hint: str = "", required: bool = False, config: Mapping | None = None,
                 repeat_of: str | None = None, is_segment: bool = False) -> Question:
    _require_draft(consultation)
    if page.kind != "questions":
        raise BuilderError(N_("Questions go on a questions page, not a briefing"))
    key = check_key(key or _made_key(prompt, [q.key for q in questions_of(session, consultation)],
                                     "question"), "question")
    if session.exec(select(Question).where(Question.consultation_id == consultation.id,
                                           Question.key == key)).first():
        raise BuilderError(N_("There is already a question with the key ‘%(key)s’"), "key", key=key)
    get_type(type_name)
    _segment(session, consultation, type_name, is_segment)
    config, _ = _with_keys(session, consultation, type_name, config or {}, is_segment=is_segment)
    question = Question(consultation_id=consultation.id, page_id=page.id, key=key,
                        position=len(questions_on(session, page)), type=type_name, prompt=prompt,
                        hint=hint, required=required, config=_config(type_name, config or {}),
                        repeat_of_id=_repeat_of(session, consultation, repeat_of, type_name),
                        is_segment=is_segment)
    session.add(question)
    if is_segment:  # a new question, so nobody has answered it: nobody is in a group yet
        regroup_consultation(session, consultation.id)
    _touch(consultation, session)
    _check(session, consultation)
    return question


def wording_shape(value):
    """A config with its wording blanked out: two configs with the same shape differ only in words."""
    if isinstance(value, Mapping):
        return {k: (v if k == "key" else wording_shape(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [wording_shape(v) for v in value]
    return "" if isinstance(value, str) else value


def update_question(session: Session, consultation: Consultation, question: Question, prompt: str,
                    hint: str, required: bool, config: Mapping, repeat_of: str | None,
                    is_segment: bool) -> dict:
    """Change a question; once open only its wording (prompt, hint, labels)."""
    config, renamed = _with_keys(session, consultation, question.type, config, question, is_segment)
    config = _config(question.type, config)
    if is_frozen(consultation):
        if (required != question.required or is_segment != question.is_segment
                or wording_shape(config) != wording_shape(question.config)):
            raise BuilderError(N_("Only wording can change once the consultation has opened: keep the "
                                  "same options, settings and whether an answer is needed"))
        repeat_of_id = question.repeat_of_id
    else:
        _segment(session, consultation, question.type, is_segment, except_id=question.id)
        repeat_of_id = _repeat_of(session, consultation, repeat_of, question.type)
        if repeat_of_id == question.id:
            raise BuilderError(N_("A question cannot repeat itself"), "repeat_of")
    changes = {}
    for name, value in (("prompt", prompt), ("hint", hint), ("required", required), ("config", config),
                        ("repeat_of_id", repeat_of_id), ("is_segment", is_segment)):
        if getattr(question, name) != value:
            changes[name] = [getattr(question, name), value]
            setattr(question, name, value)
    if changes:
        session.add(question)
        _follow_renamed(session, consultation, question, renamed)
        if "is_segment" in changes:  # people's groups now come from this answer, or from none
            regroup_consultation(session, consultation.id)
        if is_frozen(consultation):
            consultation.version += 1
        _touch(consultation, session)
        _check(session, consultation)
    return changes


def _clear_references(session: Session, consultation: Consultation, question: Question) -> None:
    for page in pages_of(session, consultation):
        if page.show_if and page.show_if.get("question") == question.key:
            raise BuilderError(N_("The page ‘%(title)s’ is shown depending on this question. "
                                  "Change its routing first."), title=page.title)
    for q in session.exec(select(Question).where(Question.repeat_of_id == question.id)).all():
        raise BuilderError(N_("The question ‘%(key)s’ repeats this one. Change it first."), key=q.key)


def delete_question(session: Session, consultation: Consultation, question: Question) -> None:
    _require_draft(consultation)
    _clear_references(session, consultation, question)
    page = session.get(Page, question.page_id)
    session.delete(question)
    session.flush()
    if question.is_segment:  # no segment question now: nobody is in a group
        regroup_consultation(session, consultation.id)
    _renumber(session, questions_on(session, page))
    _touch(consultation, session)
    _check(session, consultation)


def move_question(session: Session, consultation: Consultation, question: Question, delta: int) -> None:
    _require_draft(consultation)
    _move(session, consultation, questions_on(session, session.get(Page, question.page_id)), question, delta,
          N_("The question cannot move further that way"))
