"""Read and validate a definition, keeping the line each value came from for error messages."""

from __future__ import annotations

import yaml

from ..groups import MAX_GROUP_MINIMUM
from ..models import PAGE_KINDS
from ..retention import MAX_RETENTION_DAYS
from ..translations import CONSULTATION_FIELDS, OTHER_LANGUAGES, PAGE_FIELDS, QUESTION_FIELDS, SOURCE
from ..types import REGISTRY, get_type, types_where
from ..types.base import KEY_CHARS, MAX_LABEL, MAX_LINE
from ..wording import N_, Refusal, gettext
from . import languages

MAX_BYTES = 1_000_000
# A consultation nests about six deep (pages > questions > config > options > option); a parser
# that recurses per level fails long before 5,000, so depth and size are checked first, by a
# streaming pass that does not recurse.
MAX_DEPTH = 20
MAX_NODES = 50_000
MAX_PAGES = 100
MAX_QUESTIONS_PER_PAGE = 20
TOP_LEVEL = {"slug", "title", "summary", "audience", "languages", "consent_text", "retention_days",
             "show_results", "min_group_size", "pages", *OTHER_LANGUAGES}
PAGE_KEYS = {"key", "kind", "title", "body", "show_if", "questions", *OTHER_LANGUAGES}
QUESTION_KEYS = {"key", "type", "prompt", "hint", "required", "segment", "config", "repeat_of",
                 *OTHER_LANGUAGES}
#: Longest each text may be, in English and in translation.
LIMITS = {"title": 200, "summary": 2000, "audience": 300, "consent_text": 20000, "body": 20000,
          "prompt": 500, "hint": 1000, "options": MAX_LABEL, "labels": MAX_LABEL,
          **{s.key: MAX_LINE for t in REGISTRY.values() for s in t.settings if s.kind == "line"}}


#: Problems that only mean "not finished yet" (readiness lets a draft have them).
NO_PAGES = N_("pages must be a list with at least one page")
NO_QUESTIONS = N_("a questions page needs at least one question")
#: A problem its maker already put in words (a question type's check of its settings).
_AS_SAID = "%(problem)s"


class FileProblem(Refusal):
    """One thing wrong in a definition file, and the line of the file it is on (None: the whole
    file). Read (``str``) as "line N: what is wrong" in the reader's language; ``what`` is without
    the line; ``args`` and :meth:`english` hold the English, for the command line and logs."""

    def __init__(self, line: int | str | None, msgid: str, **params):
        super().__init__(msgid, **params)
        self.line = line
        if line is not None:
            self.args = (f"line {line}: {self.args[0]}",)

    @property
    def what(self) -> str:
        return gettext(self.msgid, **self.params)

    def __str__(self) -> str:
        if self.line is None:
            return self.what
        return gettext(N_("line %(line)s: %(problem)s"), line=self.line, problem=self.what)

    def english(self) -> str:
        return self.args[0]


class DefinitionError(ValueError):
    """The definition cannot be used; ``problems`` lists each one (a :class:`FileProblem`, read as
    "line N: what is wrong" in the reader's language); the error's own text is the English."""

    def __init__(self, problems: list[FileProblem]):
        super().__init__("; ".join(p.english() for p in problems))
        self.problems = problems


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that remembers the line of every mapping (as the key ``__line__``)."""

    def construct_mapping(self, node, deep=False):
        # A key given twice would quietly take the last value ("title:" twice, the first title
        # lost): said, with its line, as YAML's own problems are.
        seen = set()
        for key_node, _value in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge" or not isinstance(key_node, yaml.ScalarNode):
                continue
            if key_node.value in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key '{key_node.value}' is given twice", key_node.start_mark)
            seen.add(key_node.value)
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


def parse_definition(text: str | bytes) -> dict:
    """Parse YAML or JSON text into a validated definition dict (``__line__`` keys removed)."""
    if isinstance(text, bytes):
        if len(text) > MAX_BYTES:
            raise _too_large()
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DefinitionError([FileProblem(None, N_("the file is not UTF-8 text"))]) from None
    if len(text) > MAX_BYTES:
        raise _too_large()
    try:
        _check_shape(text)
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        # What the YAML reader says is wrong stays in its own (English) words.
        raise DefinitionError([FileProblem(mark.line + 1 if mark else None,
                                           N_("this is not valid YAML or JSON (%(problem)s)"),
                                           problem=getattr(exc, "problem", None) or str(exc))]) from None
    if not isinstance(data, dict):
        raise DefinitionError([FileProblem(1, N_("the file must describe one consultation (a mapping)"))])
    problems: list[FileProblem] = []
    _check(data, problems)
    if problems:
        raise DefinitionError(problems)
    return _strip_lines(data)


def _too_large() -> DefinitionError:
    return DefinitionError([FileProblem(None, N_("the file is larger than %(size)s kB"),
                                        size=MAX_BYTES // 1000)])


def _check_shape(text: str) -> None:
    """Refuse text nested deeper than MAX_DEPTH or holding more than MAX_NODES values, counting
    each alias (``*name``) as the whole value it stands for, so that a few lines of aliases
    cannot expand into millions of values."""
    depth = nodes = 0
    sizes: dict[str, tuple[int, int]] = {}  # anchor -> (values, levels) of the value it names
    open_: list[list] = []  # per open collection: [anchor, values before it, deepest level inside]

    def refuse(event, msgid, **params):
        raise DefinitionError([FileProblem(event.start_mark.line + 1, msgid, **params)])

    def reached(level, event):
        if level > MAX_DEPTH:
            refuse(event, N_("the definition is nested more than %(levels)s levels deep"), levels=MAX_DEPTH)
        if open_:
            open_[-1][2] = max(open_[-1][2], level)

    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
            reached(depth, event)
            open_.append([event.anchor, nodes, depth])
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            anchor, before, deepest = open_.pop()
            if anchor:
                sizes[anchor] = (nodes - before, deepest - depth + 1)
            depth -= 1
            reached(deepest, event)
        elif isinstance(event, yaml.ScalarEvent):
            nodes += 1
            if event.anchor:
                sizes[event.anchor] = (1, 0)
        elif isinstance(event, yaml.AliasEvent):
            values, levels = sizes.get(event.anchor, (1, 0))
            nodes += values
            reached(depth + levels, event)
        if nodes > MAX_NODES:
            refuse(event, N_("the definition has more than %(values)s values"), values=f"{MAX_NODES:,}")


def _at(node):
    """The line ``node`` starts on (None when it is not a mapping: the reader has no line)."""
    return node.get("__line__", "?") if isinstance(node, dict) else None


def problem(node, msgid: str, **params) -> FileProblem:
    """``msgid`` (marked with ``N_``), about ``node`` of the file, on its line."""
    return FileProblem(_at(node), msgid, **params)


def _valid_key(value) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 80 and set(value) <= KEY_CHARS


def _flag(node, key, problems) -> None:
    """``key``, when given, must be a YAML boolean (``true``/``false``): ``'no'`` is not false."""
    if key in node and not isinstance(node[key], bool):
        problems.append(problem(node, N_("%(key)s must be true or false"), key=key))


def _text(node, key, problems, limit, required=True):
    value = node.get(key)
    if value is None:
        if required:
            problems.append(problem(node, N_("%(key)s is missing"), key=key))
        return
    if not isinstance(value, str):
        problems.append(problem(node, N_("%(key)s must be text"), key=key))
    elif len(value) > limit:
        problems.append(problem(node, N_("%(what)s must be %(limit)s characters or fewer"), what=key,
                                limit=limit))


_UNKNOWN = {"consultation": N_("unknown consultation setting %(key)s"),
            "page": N_("unknown page setting %(key)s"),
            "question": N_("unknown question setting %(key)s")}


def _unknown(node, allowed, what, problems):
    for key in node:
        if key != "__line__" and key not in allowed:
            problems.append(problem(node, _UNKNOWN[what], key=repr(key)))


def _check(data: dict, problems: list[FileProblem]) -> None:
    _unknown(data, TOP_LEVEL, "consultation", problems)
    if not _valid_key(data.get("slug")):
        problems.append(problem(data, N_("slug must be lowercase letters, digits and hyphens")))
    _text(data, "title", problems, 200)
    for key, limit in (("summary", 2000), ("audience", 300), ("consent_text", 20000)):
        _text(data, key, problems, limit, required=False)
    _check_languages(data, problems)
    _flag(data, "show_results", problems)
    languages.read(data, languages.english(data, CONSULTATION_FIELDS), LIMITS, problems)
    for key in ("retention_days", "min_group_size"):
        if key in data and (not isinstance(data[key], int) or isinstance(data[key], bool)
                            or data[key] < 1):
            problems.append(problem(data, N_("%(key)s must be a whole number of 1 or more"), key=key))
        elif key == "retention_days" and key in data and data[key] > MAX_RETENTION_DAYS:
            problems.append(problem(data, N_("retention_days must be a whole number from 1 to %(most)s"),
                                    most=MAX_RETENTION_DAYS))
        elif key == "min_group_size" and key in data and data[key] > MAX_GROUP_MINIMUM:
            problems.append(problem(data, N_("min_group_size must be a whole number from 1 to %(most)s"),
                                    most=MAX_GROUP_MINIMUM))
    pages = data.get("pages")
    if not isinstance(pages, list) or not pages:
        problems.append(problem(data, NO_PAGES))
        return
    if len(pages) > MAX_PAGES:
        problems.append(problem(data, N_("a consultation may have at most %(most)s pages"), most=MAX_PAGES))
    page_keys: set[str] = set()
    questions: dict[str, dict] = {}
    segments = 0
    for page in pages:
        if not isinstance(page, dict):
            problems.append(problem(data, N_("every page must be a mapping")))
            continue
        _unknown(page, PAGE_KEYS, "page", problems)
        if not _valid_key(page.get("key")):
            problems.append(problem(page, N_("page key must be lowercase letters, digits and hyphens")))
        elif page["key"] in page_keys:
            problems.append(problem(page, N_("page key %(key)s is used twice"), key=repr(page["key"])))
        else:
            page_keys.add(page["key"])
        _text(page, "title", problems, 200)
        if page.get("kind") not in PAGE_KINDS:
            problems.append(problem(page, N_("kind must be one of %(kinds)s"), kinds=", ".join(PAGE_KINDS)))
        _check_show_if(page, questions, problems)
        languages.read(page, languages.english(page, PAGE_FIELDS), LIMITS, problems)
        if page.get("kind") == "briefing":
            _text(page, "body", problems, 20000)
            if page.get("questions"):
                problems.append(problem(page, N_("a briefing page has no questions")))
            continue
        qs = page.get("questions")
        if not isinstance(qs, list) or not qs:
            problems.append(problem(page, NO_QUESTIONS))
            continue
        if len(qs) > MAX_QUESTIONS_PER_PAGE:
            problems.append(problem(page, N_("a page may have at most %(most)s questions"),
                                    most=MAX_QUESTIONS_PER_PAGE))
        for q in qs:
            if not isinstance(q, dict):
                problems.append(problem(page, N_("every question must be a mapping")))
                continue
            segments += q.get("segment") is True
            _check_question(q, questions, problems)
            if _valid_key(q.get("key")):
                questions[q["key"]] = q
    if segments > 1:
        problems.append(problem(data, N_("only one question may be the segment question")))


def _check_question(q: dict, earlier: dict, problems: list[FileProblem]) -> None:
    _unknown(q, QUESTION_KEYS, "question", problems)
    if not _valid_key(q.get("key")):
        problems.append(problem(q, N_("question key must be lowercase letters, digits and hyphens")))
    elif q["key"] in earlier:
        problems.append(problem(q, N_("question key %(key)s is used twice"), key=repr(q["key"])))
    _text(q, "prompt", problems, 500)
    _text(q, "hint", problems, 1000, required=False)
    _flag(q, "required", problems)
    _flag(q, "segment", problems)
    if not isinstance(q.get("type"), str) or q["type"] not in REGISTRY:
        problems.append(problem(q, N_("type must be one of %(types)s"), types=", ".join(sorted(REGISTRY))))
        return
    if not isinstance(q.get("config") or {}, dict):
        problems.append(problem(q, N_("config must be a mapping of settings")))
        return
    config = languages.without_translations(_strip_lines(q.get("config") or {}))
    config_problems = get_type(q["type"]).check_config(config)
    # A type says what is wrong with its settings in the reader's words already.
    problems.extend(problem(q, _AS_SAID, problem=p) for p in config_problems)
    if not config_problems:
        languages.read(q, languages.english(q, QUESTION_FIELDS, config), LIMITS, problems,
                       q.get("config") or {})
    if q.get("segment") is True and not get_type(q["type"]).can_segment:
        problems.append(problem(q, N_("the segment question must be a choice question")))
    ref = q.get("repeat_of")
    if ref is not None and not _valid_key(ref):
        problems.append(problem(q, N_("repeat_of must be a question key")))
    elif ref is not None:
        original = earlier.get(ref)
        if original is None:
            problems.append(problem(q, N_("repeat_of %(key)s must name an earlier question"), key=repr(ref)))
        elif original.get("type") != q["type"]:
            problems.append(problem(q, N_("a repeated question must have the same type as %(key)s"),
                                    key=repr(ref)))


def _check_languages(data: dict, problems: list[FileProblem]) -> None:
    offered = data.get("languages", [SOURCE])
    known = [SOURCE, *OTHER_LANGUAGES]
    if (not isinstance(offered, list) or not all(isinstance(k, str) for k in offered)
            or SOURCE not in offered
            or not set(offered) <= set(known) or len(set(offered)) < len(offered)):
        problems.append(problem(data, N_("languages must list %(source)s, and may add %(others)s, like "
                                         "[en, cy]"), source=repr(SOURCE),
                                others=", ".join(repr(k) for k in OTHER_LANGUAGES)))


def _check_show_if(page: dict, earlier: dict, problems: list[FileProblem]) -> None:
    rule = page.get("show_if")
    if rule is None:
        return
    if not isinstance(rule, dict) or set(rule) - {"question", "in", "__line__"}:
        problems.append(problem(page, N_("show_if must be {question: KEY, in: [answers]}")))
        return
    q = earlier.get(rule.get("question")) if _valid_key(rule.get("question")) else None
    if q is None or q.get("type") not in types_where(lambda t: t.can_route):
        problems.append(problem(page, N_("show_if must name an earlier choice question")))
        return
    config = q.get("config") if isinstance(q.get("config"), dict) else {}
    options = config.get("options") if isinstance(config.get("options"), list) else []
    keys = {str(o.get("key")) for o in options if isinstance(o, dict)} | {"other"}
    values = rule.get("in")
    if not isinstance(values, list) or not values or not set(map(str, values)) <= keys:
        problems.append(problem(page, N_("show_if 'in' must list answers of %(key)s"),
                                key=repr(rule["question"])))


def _strip_lines(value):
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value
