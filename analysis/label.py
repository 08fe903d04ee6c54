"""Labelling themes with their most distinctive terms and phrases.

A term's distinctiveness for a theme is class-based TF-IDF: its share of the theme's TF-IDF
mass, weighted by how concentrated it is in this theme rather than spread over all themes.
Bigrams ("waiting time") are preferred to the single words they contain when they score
close, since phrases read better in a label.  A label is a whole phrase people wrote that says
what most of the theme says ("Treated with respect", "Making sure it works for disabled
people"; :func:`written_phrases`), or, when the answers share none, the theme's leading words;
no word repeats within a label and no two themes get the same label.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import numpy as np
from nltk.stem.snowball import SnowballStemmer
from scipy import sparse

from .language import looks_welsh, plain
from .text import _CLAUSE_BREAK, _WORD, NEGATIONS, STOP_WORDS, tokenise, unhyphenated


def theme_term_scores(tfidf, labels, n_themes: int, weight=None) -> np.ndarray:
    """Distinctiveness of every term for every theme, shape ``(n_themes, n_terms)``.

    ``labels`` holds a theme id per row of ``tfidf`` (-1 rows are ignored); ``weight``
    counts duplicates.
    """
    labels = np.asarray(labels)
    rows = np.flatnonzero(labels >= 0)
    weight = np.ones(len(labels)) if weight is None else np.asarray(weight, dtype=float)
    member = sparse.csr_matrix(
        (weight[rows], (labels[rows], rows)), shape=(n_themes, tfidf.shape[0])
    )
    mass = np.asarray((member @ tfidf).todense(), dtype=np.float64)  # theme x term
    sizes = np.asarray(member.sum(axis=1)).ravel()
    freq = mass / np.maximum(mass.sum(axis=1, keepdims=True), 1e-12)
    # Inverse "theme frequency": terms present everywhere (e.g. "staff") score low.
    avg_per_answer = mass.sum(axis=0) / max(sizes.sum(), 1.0)
    idf = np.log1p(sizes.mean() / np.maximum(avg_per_answer, 1e-12) / max(n_themes, 1))
    return freq * np.maximum(idf, 0.0)


def top_terms(scores_row, feature_names, surface, n: int = 8) -> list[str]:
    """The ``n`` best terms of one theme, as readable phrases, without repeats."""
    order = np.argsort(-scores_row, kind="stable")
    chosen: list[str] = []
    chosen_feats: list[str] = []
    for j in order[: 10 * n]:
        if scores_row[j] <= 0 or len(chosen) >= n:
            break
        feat = feature_names[j]
        words = set(feat.split(" "))
        if any(_BLANKED.fullmatch(w) for w in words):
            continue
        # Skip a term whose words all appear in one chosen term (a word already inside a
        # chosen phrase, or a repeat): it adds nothing for a reader.
        if any(words <= set(c.split(" ")) for c in chosen_feats):
            continue
        phrase = surface(feat)
        if phrase in chosen:
            continue
        chosen.append(phrase)
        chosen_feats.append(feat)
    return chosen


def _word_keys(term: str, stem) -> set[str]:
    return {stem(w) for w in term.lower().split()}


def _overlap(keys: set[str], used: set[str]) -> bool:
    """True if a word of ``keys`` is one of ``used``, or one starts the other ("quick",
    "quicker"; four letters at least)."""
    return any(a == b or (min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)))
               for a in keys for b in used)


def label_parts(keywords: list[str], stem=None, max_terms: int = 2, lead: int = 4) -> list[str]:
    """The terms a label is made of, chosen from a theme's keywords (best first).

    A phrase reads better than loose words, so the label opens with the best phrase among the
    first ``lead`` keywords (a negated term such as "not problem" reads badly and is passed
    over) and stands alone; with no phrase there, the leading single words are used, up to
    ``max_terms``.  No word (compared by stem, "wait" = "waiting") appears twice.
    """
    stem = stem or _stemmer()
    head = next((k for k in keywords[:lead] if " " in k and not k.startswith("not ")
                 and len(_word_keys(k, stem)) == len(k.split())), None)
    if head is not None:
        return [head]
    parts: list[str] = []
    used: set[str] = set()
    for term in sorted(keywords, key=lambda k: k.startswith("not ")):  # stable: order kept
        keys = _word_keys(term, stem)
        if _overlap(keys, used):
            continue
        parts.append(term)
        used |= keys
        if len(parts) == max_terms:
            break
    return parts


def make_label(keywords: list[str], stem=None, max_terms: int = 2) -> str:
    """A short label from a theme's keywords, e.g. "Waiting time" or "Friendly, helpful".

    See :func:`label_parts`; "Other answers" when there is no keyword.
    """
    return format_label(label_parts(keywords, stem, max_terms))


def format_label(parts: list[str], welsh: bool = False) -> str:
    """Join label terms and capitalise the first letter (and the pronoun "I", but not in a
    Welsh label, where "i" is "to": "Dim lle i barcio")."""
    if not parts:
        return "Other answers"
    label = ", ".join(parts) if welsh else re.sub(r"\bi\b", "I", ", ".join(parts))
    return label[:1].upper() + label[1:]


def natural_phrase(phrase: str, texts, stem=None, max_gap: int = 2) -> str:
    """The way people wrote a two-word phrase, with the small words between put back.

    ``phrase`` is made of content words ("treated respect"); among ``texts`` the commonest
    wording with at most ``max_gap`` stop words between the two ("treated with respect") is
    returned, or ``phrase`` itself if it is not found.
    """
    words = phrase.lower().split()
    if len(words) != 2 or "not" in words:
        return phrase
    stem = stem or _stemmer()
    first, second = stem(words[0]), stem(words[1])
    counts: Counter = Counter()
    for text in texts:
        tokens = tokenise(_CLAUSE_BREAK.sub(" . ", text), keep_breaks=True)
        for i, token in enumerate(tokens):
            if stem(token) != first:
                continue
            for j in range(i + 1, min(i + 2 + max_gap, len(tokens))):
                if stem(tokens[j]) == second:
                    counts[" ".join(tokens[i:j + 1])] += 1
                    break
                if tokens[j] not in STOP_WORDS or tokens[j] in NEGATIONS:
                    break
    if not counts:
        return phrase
    best = max(counts.items(), key=lambda item: (item[1], -len(item[0]), item[0]))[0]
    return best


_SURFACE_TEXTS = 5000


def _next_letter(form: str) -> str:
    """The letter after the first ("E" of "A&E"), or ""."""
    return next((c for c in form[1:] if c.isalpha()), "")


def surface_form(phrase: str, texts) -> str:
    """How people wrote ``phrase``: its capitals ("AI", "GP"), apostrophes ("don't") and the
    hyphens ("wi-fi" is written "Wi-Fi"). ``phrase`` itself if it is not found.

    A capital only at the start of the commonest form is dropped (sentence starts), unless the
    next letter is a capital too (an acronym: "GP", "A&E").
    """
    words = phrase.split()
    if not words:
        return phrase
    # Tokenising dropped apostrophes ("dont"): let them back in between any two letters.
    # and "a&e" may have been written "A & E".
    spelt = ["['\u2019]?".join(map(re.escape, word)).replace(r"\&", r"\s?&\s?") for word in words]
    pattern = re.compile(r"(?<![\w-])(?:[^\W\d_]+-)?" + r"[\s-]+".join(spelt)
                         + r"(?:-[^\W\d_]+)?(?![\w-])", re.IGNORECASE)
    counts: Counter = Counter()
    for text in texts[:_SURFACE_TEXTS]:
        for match in pattern.finditer(text):
            form = " ".join(match.group(0).split())
            if form[:1].isupper() and not _next_letter(form).isupper():
                form = form[:1].lower() + form[1:]
            counts[form] += 1
    if not counts:
        if len(words) == 1:
            return phrase
        # Not written as one run (the label left out a number: "waited hours in A&E" of "waited
        # 9 hours in A&E"): each word as it was written, so "A&E" and "GP" keep their capitals.
        return " ".join(surface_form(word, texts) for word in words)
    return max(counts.items(), key=lambda item: (item[1], item[0]))[0]


# A phrase people wrote is a label when it is this many words long...
_PHRASE_WORDS = (2, 6)
# ...and at least this share of the theme's answers (and two of them) contain it.
_PHRASE_SHARE = 0.02
# Words a label may stop before: "AI scribes" | so the doctor can look at me, but not
# "GP seeing" | the same notes nor "the doctor can look" | at me.
_LINKERS = frozenset("and or but so because when while if which who that".split())
# Words a label may start after: joining words, "the", "my", "is", "they" ("hospital and" |
# GP seeing the same notes; "they" | could not do any better), not prepositions (the label
# would be the tail of a longer phrase: "making sure it works for" | disabled people).
_LEAD_IN = frozenset("and or but so because when while if which who that a an the my your his "
                     "her their our its is are was were to think me i it they we he she you"
                     .split())
# Words a label cannot end on, as they need a word after them ("... without ringing at").
_DANGLING = frozenset("a an the to of in on at for with by from about into than as and or but "
                      "so because if when that which who while my your his her their our its is "
                      "are was were be been being am have has had do does can could will would "
                      "should may might must very too not no".split()) | NEGATIONS
# Words a label cannot start with.
_NO_START = _LINKERS | frozenset("a an the to of for with in on at by from as is are was were "
                                 "be been am i it they we he she you this".split())
_RERANK = 30
# Words with digits that are part of what people wrote ("ringing at 8am", "calling 111"); other
# numbers are dropped as the tokeniser drops them ("waited 3 hours" is "waited hours").
_PHRASE_TOKEN = re.compile(r"(?<![\w.])(?:\d+[a-z]+|111|999)(?![\w])|" + _WORD + r"|\.")


#: A word blanked out before the text reached us ("your xxxx amazing": a name or a swear word): one
#: letter three or more times. It still counts for grouping, but it is no keyword and no phrase
#: runs across it ("Paramedics were amazing, xxxx" was a sub-theme label).
_BLANKED = re.compile(r"(?:not_)?([a-z])\1{2,}")


#: Words that group no answers (redaction leaves them in placeholders: "[phone number]") but
#: are words like any other in a phrase people wrote: "answer the phone", "an NHS App".
_PLAIN_IN_PHRASES = frozenset({"nhs", "phone", "email"})
#: Small words, for labels: a label phrase does not start or end on one.
_SMALL = STOP_WORDS - _PLAIN_IN_PHRASES
#: A redaction placeholder: no phrase runs across one, nor holds its words. Any short bracketed
#: aside, not only ours (``analysis.redact.PLACEHOLDERS``): transcribed feedback has its own
#: ("[unreadable]", "[name redacted]" in the development data), no more a label's words than ours.
_PLACEHOLDER = re.compile(r"\[[^\]]{1,40}\]")


#: The small word of a phrase that says one word twice: "face to face", "day to day", "side by
#: side", "year on year", "time after time", "word for word", "hand in hand".
_REDUPLICATING = frozenset("to by on after for in".split())


def _doubled(tokens, i: int) -> bool:
    """Whether ``tokens[i]`` says again the word two before it, as in "face to face"."""
    return i >= 2 and tokens[i - 1] in _REDUPLICATING and tokens[i - 2] == tokens[i]


def _repeats(tokens, stems, small_words: bool = True) -> bool:
    """Whether a phrase says a word twice (a run across two mentions of a thing, "care and
    better care"), other than as a phrase that doubles a word ("face to face"); with
    ``small_words`` false, only content words count."""
    seen = set()
    for i, (token, stem) in enumerate(zip(tokens, stems, strict=True)):
        if token in _SMALL and not small_words:
            continue
        if stem in seen and not _doubled(tokens, i):
            return True
        seen.add(stem)
    return False


def _phrase_tokens(text: str) -> list[str]:
    """:func:`~analysis.text.tokenise` with clause breaks, keeping "8am", "1st", "111", "999"; a
    blanked-out word and a redaction placeholder are breaks."""
    text = _CLAUSE_BREAK.sub(" . ", _PLACEHOLDER.sub(" . ", text).lower().replace("\u2019", "'"))
    return ["." if _BLANKED.fullmatch(t) else plain(t) for t in _PHRASE_TOKEN.findall(text)]


# Small words a phrase may start with, as people start with them: "very good", "all good".
_INTENSIFIERS = frozenset("very really so extremely".split())
# Words that turn the meaning of what follows them in a clause: "nothing could be better" is
# not a use of "could be better", nor "not kept waiting" one of "kept waiting".
_FLIPPERS = NEGATIONS | frozenset({"nothing", "none", "nowhere", "hardly", "neither", "nor"})


def written_phrase(keywords: list[str], texts, stem=None) -> str | None:
    """The phrase, as people wrote it, that best says what a theme's keywords are about.

    The first of :func:`written_phrases`, or None when no phrase qualifies: the keywords then
    make the label.
    """
    found = written_phrases(keywords, texts, stem, limit=1)
    return found[0] if found else None


def written_phrases(keywords: list[str], texts, stem=None, limit: int = 3) -> list[str]:
    """Up to ``limit`` phrases, as people wrote them, that say what a theme's keywords are
    about, best first.

    Candidates are runs of 2-6 words inside one clause of the theme's answers that start and
    end with a content word (or start with a negation or "nothing": "no complaints", "nothing
    could be improved"; or with "very", "really", "so", "extremely") and hold at least one of
    the first three keywords' words.  A use of a run after a word that turns its meaning
    ("nothing could be better", "not kept waiting") is not a use of it.  Each scores how many
    answers use it times the keywords it covers (the first counts most), a little more for each
    keyword word and a little less for each other content word; a run used by fewer than 2% of
    the answers (or two) is not a label.  The best 30 are ranked again by how many answers hold
    all their content words as written, in any wording, so that the label is what most of the
    theme says; "very" and one word ("very good") only for a theme half of whose answers say
    that word.  A run is replaced by the whole phrase it is part of (:func:`_whole_phrase`); a
    run with no whole stretch in its answers' wording is offered only after those that have.
    """
    stem = stem or _stemmer()
    weights: dict[str, float] = {}
    for rank, keyword in enumerate(keywords[:6]):
        for word in keyword.lower().split():
            if word not in NEGATIONS:
                weights.setdefault(stem(word), 1.0 / (rank + 1))
    lead = {stem(w) for k in keywords[:3] for w in k.lower().split() if w not in NEGATIONS}
    if not lead:
        return []
    shortest, longest = _PHRASE_WORDS
    used_by: dict[tuple, set] = {}
    tokenised = [_phrase_tokens(text) for text in texts]
    for n, tokens in enumerate(tokenised):
        stems = [stem(t) for t in tokens]
        clause_start = 0
        for i, first_word in enumerate(tokens):
            if first_word == ".":
                clause_start = i + 1
                continue
            if first_word in _SMALL and first_word not in _FLIPPERS \
                    and first_word not in _INTENSIFIERS:
                continue
            flipped = not _FLIPPERS.isdisjoint(tokens[max(clause_start, i - 3):i])
            for j in range(i + shortest, min(i + longest, len(tokens)) + 1):
                last = tokens[j - 1]
                if last == ".":
                    break
                if last in _SMALL or last in NEGATIONS:
                    continue
                if lead.isdisjoint(stems[i:j]):
                    continue
                if flipped and _FLIPPERS.isdisjoint(tokens[i:j]):
                    continue
                used_by.setdefault(tuple(tokens[i:j]), set()).add(n)
    needed = max(2, _PHRASE_SHARE * len(texts))
    scored = []
    for run, users in used_by.items():
        if len(users) < needed:
            continue
        run_stems = [stem(t) for t in run]
        if _repeats(run, run_stems):
            continue
        covered = sum(weights.get(s, 0.0) for s in set(run_stems))
        # Keyword words make a phrase say more about the theme; other content words make it
        # say something about fewer of its answers ("better suspension on ambulances").
        on_topic = sum(s in weights for t, s in zip(run, run_stems, strict=True)
                       if t not in _SMALL and t not in NEGATIONS)
        off_topic = sum(s not in weights for t, s in zip(run, run_stems, strict=True)
                        if t not in _SMALL and t not in NEGATIONS)
        score = len(users) * covered * (1 + 0.15 * (on_topic - 1)) * 0.85 ** off_topic
        scored.append((score, run))
    scored.sort(key=lambda item: -item[0])
    # How many answers say what a phrase says, in any wording: they hold all its content words
    # as written ("caring" is not "care"), a negation kept with its word.  The best candidates
    # by exact wording are ranked again by it, so that the label is what most of the theme says.
    keys = [_token_keys(tokens, _plain) for tokens in tokenised]
    rescored = []
    for score, run in scored[:_RERANK]:
        want = _token_keys(run, _plain)
        said = sum(want <= k for k in keys)
        # "Very" and one word ("Very good") is a label only for a theme that is that word:
        # half its answers say it.
        if run[0] in _INTENSIFIERS and len(want) == 1 and said * 2 < len(texts):
            continue
        rescored.append((score / max(len(used_by[run]), 1) * said, run))
    scored = sorted(rescored, key=lambda item: -item[0]) + [
        item for item in scored[_RERANK:]
        if not (item[1][0] in _INTENSIFIERS and len(item[1]) == 2)]
    whole, cut = [], []
    for _, run in scored[:4 * limit]:
        phrase, complete = _whole_phrase(run, [tokenised[n] for n in sorted(used_by[run])],
                                         stem, lead, needed, weights)
        text = " ".join(phrase)
        if text not in whole and text not in cut:
            (whole if complete else cut).append(text)
        if len(whole) >= limit:
            break
    return (whole + cut)[:limit]


def _whole_phrase(run: tuple, tokenised, stem, lead: set, needed: float,
                  weights=None) -> tuple[tuple, bool]:
    """The whole phrase ``run`` is part of, and whether it is whole.

    A run that most of its uses continue the same way is the head of a longer phrase ("hospital
    and GP seeing" ... "the same notes"), and one that most of its uses begin the same way is
    its tail ("sure it works for disabled people" after "making").  The wording most uses share
    is followed both ways, to the ends of the clause or to where the uses part.  The label is
    the best stretch of that wording that is whole at both ends: it starts where the wording
    starts or after a joining or small word ("and", "the", "they"; not a preposition) and ends
    where the wording ends or before a linking word ("so", "for"); it does not end on a word
    that needs one after it ("at", "the") and it holds a lead keyword.  The stretch that holds
    the most keyword words wins, then the one whose keywords rank higher, then the longer;
    two to six words, or seven if the seventh brings two keyword words more.  With no such
    stretch the run is returned as it was, marked not whole.
    """
    weights = weights or {}
    width = len(run)
    uses = []  # (answer, words before the run in its clause, nearest first; words after)
    for n, tokens in enumerate(tokenised):
        for i in range(len(tokens) - width + 1):
            if tuple(tokens[i:i + width]) == run:
                rest = tokens[i + width:]
                head = tokens[:i][::-1]
                uses.append((n, head[:head.index(".")] if "." in head else head,
                             rest[:rest.index(".")] if "." in rest else rest))
    if not uses:
        return run, False
    longest = _PHRASE_WORDS[1]

    def follow(agree, side):
        words = []
        while len(words) < 2 * longest:
            step = len(words)
            nexts = Counter(u[side][step] for u in agree if len(u[side]) > step)
            if not nexts:
                break
            word, count = nexts.most_common(1)[0]
            if count * 2 <= len(uses):
                break
            words.append(word)
            agree = [u for u in agree if len(u[side]) > step and u[side][step] == word]
        return words, agree

    after, agree = follow(uses, 2)
    before, agree = follow(agree, 1)
    whole = before[::-1] + list(run) + after
    if len(before) + len(after) and len({u[0] for u in agree}) < needed:
        whole = list(run)
    stems = [stem(w) for w in whole]
    best, best_key = None, None
    for a in range(len(whole)):
        if a and whole[a - 1] not in _LEAD_IN or _doubled(whole, a):  # (not "face" to face)
            continue
        if whole[a] in _NO_START or (whole[a] in _SMALL and whole[a] not in NEGATIONS
                                     and a + 1 < len(whole) and whole[a + 1] in _NO_START):
            continue
        for b in range(a + _PHRASE_WORDS[0], len(whole) + 1):
            # The wording may go on past the label only from a linking word, or with words
            # that need one after them and so end where a number was ("ringing" | at 8am).
            if b < len(whole) and whole[b] not in _LINKERS and not all(
                    w in _DANGLING for w in whole[b:]):
                continue
            if whole[b - 1] in _DANGLING:
                continue
            # "Face to face" is one thing said, as one word would say it.
            size = b - a - 2 * sum(_doubled(whole, i) for i in range(a + 2, b))
            if size > longest + 1:
                continue
            window = set(stems[a:b])
            content = [s for w, s in zip(whole[a:b], stems[a:b], strict=True)
                       if w not in _SMALL]
            if lead.isdisjoint(window) or _repeats(whole[a:b], stems[a:b], small_words=False):
                continue
            covered = sum(weights.get(s, 0.0) for s in window)
            on_topic = sum(s in weights for s in set(content))
            # A seventh word is worth it only when it brings two keywords more ("making sure
            # it works for disabled people", not "hospital and GP seeing the same notes").
            key = (on_topic - 1.5 * (size > longest), round(covered, 6), size, -a)
            if best_key is None or key > best_key:
                best, best_key = tuple(whole[a:b]), key
    if best is None:
        return run, False
    return best, True


def unique_labels(keyword_lists: list[list[str]], texts_per_theme=None, stem=None,
                  max_terms: int = 2, taken=()) -> list[str]:
    """Labels for several themes (largest first): no two alike and no word said twice.

    A phrase already used by an earlier theme gives way to the theme's next phrase
    (:func:`written_phrases`); with none left, the label gets the next keyword that adds a new word
    ("Good service, pleased"); if none is left, a number ("Good service (2)").
    Two-word phrases are written as people wrote them (:func:`natural_phrase`), with their
    capitals and hyphens (:func:`surface_form`), when ``texts_per_theme`` gives each theme's answers.
    ``taken``: labels already used elsewhere in the run (sub-themes never repeat a theme's label).
    """
    stem = stem or _stemmer()
    labels: list[str] = []
    seen: set[str] = {label.lower() for label in taken}
    for t, keywords in enumerate(keyword_lists):
        parts = label_parts(keywords, stem, max_terms)
        texts = texts_per_theme[t] if texts_per_theme else []
        welsh = 2 * sum(map(looks_welsh, texts)) > len(texts) > 0  # most of its answers
        phrases = written_phrases(keywords, texts_per_theme[t], stem, limit=1) \
            if texts_per_theme else []
        fresh = [p for p in phrases
                 if format_label([surface_form(p, texts_per_theme[t])], welsh).lower() not in seen]
        if phrases and not fresh:
            # A phrase another theme already has gives way to this theme's next phrase.
            phrases = written_phrases(keywords, texts_per_theme[t], stem, limit=3)
            fresh = [p for p in phrases
                     if format_label([surface_form(p, texts_per_theme[t])], welsh).lower() not in seen]
        if phrases:
            parts = [surface_form((fresh or phrases)[0], texts_per_theme[t])]
        elif texts_per_theme is not None and parts:
            if " " in parts[0]:
                parts[0] = natural_phrase(parts[0], texts_per_theme[t], stem)
            parts = [surface_form(part, texts_per_theme[t]) for part in parts]
        label = format_label(parts, welsh)
        if label.lower() in seen:
            used = set().union(*(_word_keys(p, stem) for p in parts))
            for term in keywords:
                keys = _word_keys(term, stem)
                if not _overlap(keys, used) and not term.startswith("not "):
                    if texts_per_theme is not None:  # as people wrote it: "GP", not "gp"
                        term = surface_form(natural_phrase(term, texts, stem) if " " in term else term,
                                            texts)
                    label = format_label(parts + [term], welsh)
                    break
        base, n = label, 2
        while label.lower() in seen:
            label, n = f"{base} ({n})", n + 1
        seen.add(label.lower())
        labels.append(label)
    return labels


def content_keys(text: str, stem=None) -> frozenset:
    """The content words of ``text``, stemmed, a negation joined to the word after it in its
    clause: "No problems" gives ``{"not_problem"}``, "Just listening to my problems"
    ``{"listen", "problem"}``."""
    return _token_keys(tokenise(_CLAUSE_BREAK.sub(" . ", text), keep_breaks=True),
                       stem or _stemmer())


def _token_keys(tokens, stem) -> frozenset:
    keys, negate = set(), False
    for word in tokens:
        if word == ".":
            negate = False
        elif word in NEGATIONS:
            negate = True
        elif len(word) > 1 and unhyphenated(word) not in _SMALL:
            keys.add(("not_" if negate else "") + stem(word))
            negate = False
    return frozenset(keys)


def agrees_with(label: str, stem=None):
    """A test of whether an answer says what ``label`` says: it holds every content word of
    the label as written (a plural "s" aside: "helpful" is not "help"), with the same negation
    (:func:`content_keys`).  For choosing a theme's first quote; a label with no content word
    agrees with every answer.  ``stem`` is not used (kept for callers that pass it)."""
    want = content_keys(label.replace(",", " "), _plain)
    return lambda text: want <= content_keys(text, _plain)


def _plain(word: str) -> str:
    """A word as written, a plural "s" dropped: "waiting times" says "waiting time", but
    "caring" does not say "care" nor "helpful" "help"."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


@lru_cache(maxsize=1)
def _stemmer():
    snowball = SnowballStemmer("english")
    return lru_cache(maxsize=50_000)(lambda word: snowball.stem(unhyphenated(word)))


def unique_label(label: str, existing, keywords=()) -> str:
    """``label``, changed if needed so that it differs from every label in ``existing``.

    For a split or merge: a taken label gets the first of ``keywords`` that adds a word not
    already in it ("Waiting times: phone"), else a number ("Waiting times (2)").  Compared
    without regard to case or surrounding spaces.
    """
    label = " ".join(str(label).split()) or "Other answers"
    taken = {" ".join(str(e).split()).lower() for e in existing}
    if label.lower() not in taken:
        return label
    have = set(label.lower().split())
    for keyword in keywords:
        words = set(str(keyword).lower().split())
        if words and not words <= have and not str(keyword).startswith("not "):
            candidate = f"{label}: {keyword}"
            if candidate.lower() not in taken:
                return candidate
    n = 2
    while f"{label} ({n})".lower() in taken:
        n += 1
    return f"{label} ({n})"
