"""Pairwise comparison: "Which matters more to you: A or B?", a few pairs per person, one at a time.

Each person sees ``pairs`` pairs (unless set, 3, or every pair there is when there are fewer)
drawn at random from the facilitator's list, and may answer "I can't decide". Online the pairs
come one per screen (the page is shown again until the person has judged them all); on a kiosk,
which works offline, they come together on one screen.

Stored as a list of judgements ``[left key, right key, chosen key or None]``. Summaries rank the
items with a Bradley–Terry model fitted to every judgement (a tie counts half to each side), and
give each item a score with a 95% interval: the chance it is chosen over an item of average
strength.
"""

from __future__ import annotations

import itertools
import math
import random
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

from ..wording import N_, gettext, ngettext
from .base import (
    OPTIONS_HINT,
    AnswerError,
    OnPaper,
    Parsed,
    QuestionType,
    Setting,
    check_options,
    field_name,
    option_keys,
    option_label,
    option_texts,
    register,
    share,
    whole_share,
)

DEFAULT_PAIRS = 3  # the "pairs" setting's hint says so
MAX_PAIRS = 10
CANT_DECIDE = "none"
CANT_DECIDE_LABEL = N_("I can't decide")
CHOOSE = N_("Choose which matters more to you, or “I can’t decide”")
CHANGED = N_("This page was changed before it was sent. Go back and try again")
#: One virtual tie per item, spread over its possible opponents, so that an item always chosen
#: (or never) still gets a finite score; it pulls scores a little towards the middle.
PRIOR_TIES = 1.0
Z95 = 1.959964


@register
class Pairwise(QuestionType):
    name = "pairwise"
    title = N_("Which matters more, in pairs")
    # Each person is shown pairs drawn at random.
    same_markup_for_same_values = False
    settings = (Setting("options", "options", N_("Things to compare, two at a time"), OPTIONS_HINT,
                        required=True),
                Setting("pairs", "int", N_("Pairs each person sees"), N_("Leave empty for 3.")))

    def check_values(self, config) -> list[str]:
        problems = check_options(config)
        if problems:
            return problems
        n = len(config["options"])
        if n < 2:
            return [gettext("a pairwise question needs at least 2 things to compare")]
        possible = n * (n - 1) // 2
        pairs = config.get("pairs")
        if pairs is None:  # left empty: 3, or every pair there is when there are fewer (pairs_per_person)
            return problems
        if not 1 <= pairs <= MAX_PAIRS:
            problems.append(gettext("pairs must be between 1 and %(most)s", most=MAX_PAIRS))
        elif pairs > possible:
            problems.append(ngettext(
                "%(things)s things make only %(num)s different pair: ask for fewer pairs",
                "%(things)s things make only %(num)s different pairs: ask for fewer pairs",
                possible, things=n))
        return problems

    def texts(self, config) -> dict[str, str]:
        return option_texts(config)

    def pairs_per_person(self, question) -> int:
        n = len(option_keys(question))
        return min(question.config.get("pairs", DEFAULT_PAIRS), n * (n - 1) // 2)

    # Asking -----------------------------------------------------------------------------------
    def screen(self, question, values: dict, all_at_once: bool = False, printed: bool = False) -> dict:
        """The pairs to show now: those just sent (shown again beside their errors); else the
        next one not yet judged (all of them at once on a kiosk; with ``printed``, the pairs of
        the paper form, for staff typing it in); else, when every pair is judged, all of them
        with the answers given, to change."""
        keys = option_keys(question)
        sent = _sent_pairs(question, values, keys)
        judged = [j for j in (values.get(field_name(question, "judged")) or []) if _judgement_ok(j, keys)]
        total = self.pairs_per_person(question)
        if sent:
            pairs = [(a, b, values.get(field_name(question, f"pick-{i}")) or "")
                     for i, (a, b) in enumerate(sent)]
            first = len(judged) + 1 if len(sent) == 1 and len(judged) < total else 1
        elif len(judged) >= total:
            pairs = [(a, b, pick or CANT_DECIDE) for a, b, pick in judged]
            first = 1
        else:
            seen = {frozenset(j[:2]) for j in judged}
            if printed:
                pairs = [p + ("",) for p in self.paper_pairs(question) if frozenset(p) not in seen]
            else:
                unseen = [p for p in itertools.combinations(keys, 2) if frozenset(p) not in seen]
                rng = random.Random()
                drawn = rng.sample(unseen, min(len(unseen), total - len(judged) if all_at_once else 1))
                pairs = [((a, b) if rng.random() < 0.5 else (b, a)) + ("",) for a, b in drawn]
            first = len(judged) + 1
        return {"total": total, "first": first,
                "pairs": [{"left": a, "right": b, "pick": pick, "left_label": option_label(question, a),
                           "right_label": option_label(question, b)} for a, b, pick in pairs]}

    def parse(self, question, form) -> Parsed:
        keys = option_keys(question)
        sent = _sent_pairs(question, form, keys, strict=True)
        # A screen shows each pair once and never more pairs than the person is asked: a form
        # that says otherwise was made by hand, and must not weigh more than one person's answer.
        if len(sent) > self.pairs_per_person(question) or len({frozenset(p) for p in sent}) < len(sent):
            raise AnswerError(gettext(CHANGED), field_name(question, "pick-0"))
        if not sent:
            if question.required:
                raise self.missing(question)
            return Parsed()
        judgements = []
        for i, (a, b) in enumerate(sent):
            field = field_name(question, f"pick-{i}")
            pick = (form.get(field) or "").strip()
            if not pick:
                if question.required:
                    raise AnswerError(gettext(CHOOSE), field)
                continue
            if pick not in (a, b, CANT_DECIDE):
                raise AnswerError(gettext("Choose one of the answers given"), field)
            judgements.append([a, b, None if pick == CANT_DECIDE else pick])
        return Parsed(judgements) if judgements else Parsed()

    def missing(self, question) -> AnswerError:
        return AnswerError(gettext(CHOOSE), field_name(question, "pick-0"))

    def merge(self, question, old_value, parsed: Parsed) -> Parsed:
        """Judgements already given, with this screen's added (a pair judged again is replaced)."""
        keys = option_keys(question)
        old = [j for j in (old_value or []) if _judgement_ok(j, keys)]
        if parsed.empty:
            return Parsed(old) if old else parsed
        new = {frozenset(j[:2]) for j in parsed.value}
        merged = [j for j in old if frozenset(j[:2]) not in new] + parsed.value
        # Never more judgements than pairs asked (the newest kept), however many screens are sent.
        return Parsed(merged[-self.pairs_per_person(question):])

    def asks_again(self, question, parsed: Parsed, merged: Parsed) -> bool:
        return not parsed.empty and len(merged.value or []) < self.pairs_per_person(question)

    def anchor(self, question) -> str:
        return field_name(question, "pick-0")  # the first pair on the screen

    def form_values(self, question, value, text) -> dict:
        return {field_name(question, "judged"): value or []}

    def display(self, question, value, text) -> str:
        if not value:
            return gettext("Not answered")
        said = []
        for a, b, pick in value:
            if pick is None:
                said.append(gettext("Could not decide between %(first)s and %(second)s",
                                    first=option_label(question, a), second=option_label(question, b)))
            else:
                other = b if pick == a else a
                said.append(gettext("%(chosen)s over %(other)s", chosen=option_label(question, pick),
                                    other=option_label(question, other)))
        return "; ".join(said)

    # Summaries ----------------------------------------------------------------------------------
    def tally(self, question, tally, value, n) -> None:
        keys = set(option_keys(question))
        tally.answered += n
        for judgement in value if isinstance(value, list) else []:
            if not _judgement_ok(judgement, keys):
                continue
            a, b, pick = judgement
            if pick is None:
                tally.counts[("tie",) + tuple(sorted((a, b)))] += n
            else:
                tally.counts[("won", pick, b if pick == a else a)] += n

    def shape(self, question, tally) -> dict:
        """Items best first, by Bradley–Terry score; rows of (label, times chosen, % of times shown)."""
        import numpy as np  # here, not at the top: respondent pages load no numerical stack

        keys = option_keys(question)
        index = {k: i for i, k in enumerate(keys)}
        wins = np.zeros((len(keys), len(keys)))
        for key, n in tally.counts.items():
            if key[0] == "won":
                wins[index[key[1]], index[key[2]]] += n
            else:
                wins[index[key[1]], index[key[2]]] += n / 2
                wins[index[key[2]], index[key[1]]] += n / 2
        shown = (wins + wins.T).sum(axis=1)
        chosen = np.array([sum(n for k, n in tally.counts.items() if k[0] == "won" and k[1] == key)
                           for key in keys])
        scores = bradley_terry(wins)
        ranked = sorted(range(len(keys)), key=lambda i: -scores[i]["score"])
        return {
            "answered": tally.answered, "heading": "Times chosen",
            "rows": [(option_label(question, keys[i]), int(chosen[i]), share(chosen[i], shown[i]))
                     for i in ranked],
            "ranking": [{"label": option_label(question, keys[i]), "shown": int(round(shown[i])),
                         **scores[i]} for i in ranked],
        }

    def readable(self, question, summary) -> dict:
        """The things compared, from what mattered most to least (by score), each with how often
        it was chosen when shown; things no one was shown are left out."""
        people = summary["answered"]
        # ``rows`` and ``ranking`` list the same things in the same order, best first.
        rows = [{"label": label, "figure": f"{whole_share(chosen, ranked['shown'])}%", "people": chosen,
                 "bar": whole_share(chosen, ranked["shown"])}
                for (label, chosen, _), ranked in zip(summary["rows"], summary["ranking"], strict=True)
                if ranked["shown"]]
        top = rows[0]["label"] if rows else ""
        return {"people": people, "rows": rows, "figure": gettext("Times chosen, of times shown"),
                "summary": ngettext("Mattered most: %(answer)s. Listed from what mattered most to least, "
                                    "from the pairs %(num)s person compared.",
                                    "Mattered most: %(answer)s. Listed from what mattered most to least, "
                                    "from the pairs %(num)s people compared.", people, answer=top)}

    def on_paper(self, question) -> OnPaper:
        """The pairs listed one a row, with a tick box for each side and one for "I can't decide"."""
        cant_decide = gettext(CANT_DECIDE_LABEL)
        return OnPaper(gettext("For each pair, tick the one that matters more to you, or tick '%(label)s'.",
                               label=cant_decide),
                       tuple((option_label(question, a), option_label(question, b), cant_decide)
                             for a, b in self.paper_pairs(question)))

    def paper_pairs(self, question) -> list[tuple[str, str]]:
        """The pairs printed on paper: as many as a person is asked online, the same on every copy
        (drawn with the question's key as the seed), each thing in as few pairs as can be so that
        the print favours none."""
        unseen = list(itertools.combinations(option_keys(question), 2))
        rng = random.Random(question.key)
        rng.shuffle(unseen)
        shown = {k: 0 for k in option_keys(question)}
        pairs = []
        for _ in range(self.pairs_per_person(question)):
            pair = min(unseen, key=lambda p: shown[p[0]] + shown[p[1]])  # first of the least shown
            unseen.remove(pair)
            shown[pair[0]] += 1
            shown[pair[1]] += 1
            pairs.append(pair if rng.random() < 0.5 else pair[::-1])
        return pairs

    def sample(self, question, context) -> Parsed:
        keys = option_keys(question)
        rng = context.rng
        pairs = rng.sample(list(itertools.combinations(keys, 2)), self.pairs_per_person(question))
        judgements = []
        for a, b in pairs:
            # Earlier options are a little more popular, so the demo's ranking has a shape.
            lean = 0.5 + 0.08 * (keys.index(b) - keys.index(a))
            roll = rng.random()
            judgements.append([a, b, None if roll < 0.12 else (a if roll < 0.12 + 0.88 * lean else b)])
        return Parsed(judgements)


def bradley_terry(wins: np.ndarray) -> list[dict]:
    """Bradley–Terry strengths from ``wins[i, j]`` (times i was chosen over j), by Hunter's MM
    algorithm, with ``PRIOR_TIES`` virtual ties per item.

    Each item's ``score`` is the chance (0–100) that it is chosen over an item of average strength
    (log-strengths centred on 0), with a 95% interval (``low``, ``high``) from the Fisher
    information of the log-strengths.
    """
    import numpy as np

    n = wins.shape[0]
    if n < 2:
        return [{"score": 50.0, "low": 0.0, "high": 100.0} for _ in range(n)]
    w = wins + (PRIOR_TIES / 2 / (n - 1)) * (1 - np.eye(n))
    games = w + w.T
    won = w.sum(axis=1)
    p = np.ones(n)
    for _ in range(1000):
        denominator = (games / (p[:, None] + p[None, :])).sum(axis=1)
        new = won / denominator
        new /= math.exp(np.log(new).mean())
        if np.max(np.abs(new - p)) < 1e-10:
            p = new
            break
        p = new
    theta = np.log(p)
    chance = p[:, None] / (p[:, None] + p[None, :])
    information = -games * chance * chance.T
    np.fill_diagonal(information, 0)
    np.fill_diagonal(information, -information.sum(axis=1))
    se = np.sqrt(np.clip(np.diag(np.linalg.pinv(information)), 0, None))
    return [{"score": round(_percent(theta[i]), 1), "low": round(_percent(theta[i] - Z95 * se[i]), 1),
             "high": round(_percent(theta[i] + Z95 * se[i]), 1)} for i in range(n)]


def _percent(log_strength: float) -> float:
    return 100 / (1 + math.exp(-log_strength))


def _sent_pairs(question, form, keys, strict: bool = False) -> list[tuple[str, str]]:
    """The pairs a screen showed, from its hidden ``pair-N`` fields ("left:right")."""
    pairs = []
    for i in range(MAX_PAIRS):
        raw = form.get(field_name(question, f"pair-{i}"))
        if raw is None:
            break
        a, _, b = str(raw).partition(":")
        if a not in keys or b not in keys or a == b:
            if strict:
                raise AnswerError(gettext(CHANGED), field_name(question, f"pick-{i}"))
            break
        pairs.append((a, b))
    return pairs


def _judgement_ok(judgement, keys) -> bool:
    return (isinstance(judgement, list) and len(judgement) == 3 and judgement[0] in keys
            and judgement[1] in keys and judgement[0] != judgement[1]
            and judgement[2] in (None, judgement[0], judgement[1]))
