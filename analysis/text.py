"""Tokenising, stop-word removal and stemming (NLTK's Snowball stemmer; no corpus download).

:class:`StemAnalyzer` turns a text into features for a vectoriser: stemmed unigrams and bigrams
of adjacent content words.  It also remembers, for each stem, the word people most often wrote,
so labels read "waiting times" rather than "wait time".
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from nltk.stem.snowball import SnowballStemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from .language import _TOKEN, _WORD, plain

# Negations carry the meaning of many complaints ("not listened to"), so they are kept and
# joined to the next word ("not_listen") instead of being dropped with the other stop words.
NEGATIONS = frozenset({"not", "no", "never", "cannot", "cant", "dont", "didnt",
                       "wasnt", "werent", "wont", "couldnt", "wouldnt", "isnt", "arent",
                       "doesnt", "hasnt", "havent", "nobody", "without"})
# Placeholders left by redaction and filler common in survey answers carry no theme.
EXTRA_STOP_WORDS = frozenset({"nhs", "number", "phone", "email", "postcode", "date", "birth",
                              "name", "im", "ive", "id", "ill", "youre", "theyre", "thats",
                              "just", "really", "got", "get", "also", "would", "could",
                              "think", "say", "said", "thing", "things", "lot", "bit", "way",
                              "did", "does", "doing", "done", "dr", "mr", "mrs", "ms", "miss",
                              "etc", "ok", "okay", "yes", "far", "make", "like", "know",
                              "went", "want", "going", "need", "needed",
                              # How people open or stress a sentence, not what it is about:
                              # "Honestly," was a sub-theme's keyword.
                              "honestly", "personally", "basically", "obviously",
                              "literally"})
# NHS Wales consultations are answered in Welsh too. Welsh small words, as the tokeniser leaves
# them (apostrophes dropped: "mae'r" -> "maer", "sy'n" -> "syn"), are stop words as English ones
# are; otherwise "yn", "fy" and "mae" were a Welsh theme's keywords.  Left out: "os" ("if"), an
# English content word too (an OS), and words that carry meaning ("da", "diolch", "gwych").
WELSH_STOP_WORDS = frozenset("""
    a ac ag am ar at i o y yr yn ym yng ei eu ein eich fy dy mae maer roedd roeddwn roedden oedd
    oeddwn oedden bod fod yw ydy ydi ydw ydyn ydych dw dwi dwin rwy rwyn rydw rydwi rydym rydyn bydd
    byddai byddwn byddaf wedi mi fe fo hi ni chi nhw ef hefyd ond neu pan fel hyn hynny hwn hon yma
    yna sydd sy syn gyda gydar efo gan heb dros drwy trwy wrth rhwng tuag ir or gyfer cael gael
    gallu allu gwneud wneud dweud mynd dod oes pob bob rhai llawer rhywbeth pethau peth eisiau angen
    meddwl wel felly achos oherwydd er llai mwy yno iddo iddi iddyn arno arni gen gennym gwelwch
    iawn rhy mor wir gwir barn farn marn hynnyn maen nhwn nin chin fin hin en ti fi hwnna honna
    hwnnw honno rhain dyna dyma sut beth pam pryd ble pwy faint unrhyw arall eraill tan dan ers
    nawr rwan erioed
    """.split())
# Welsh negations: "ddim" (not), "dim" (no, none), "nid" and "nad" (not), "heb" (without), "byth"
# (never).
WELSH_NEGATIONS = frozenset({"ddim", "dim", "nid", "nad", "heb", "byth"})
NEGATIONS = NEGATIONS | WELSH_NEGATIONS
STOP_WORDS = (frozenset(ENGLISH_STOP_WORDS) | EXTRA_STOP_WORDS | WELSH_STOP_WORDS) - NEGATIONS
# What ends a clause: a negation does not reach past it, nor does a bigram.
_BREAK_CHARS = frozenset(".!?;:,()\n")
_BREAK_CLASS = "[" + re.escape("".join(sorted(_BREAK_CHARS))) + "]"
_CLAUSE_BREAK = re.compile(_BREAK_CLASS + "+")
_TOKEN_OR_BREAK = re.compile(_WORD + r"|\.")
_TOKEN_OR_BREAK_CHAR = re.compile(_WORD + "|" + _BREAK_CLASS)
# What StemAnalyzer._classify says of a token that is not a content word.
_BREAK, _NEGATION, _SKIP = object(), object(), object()


def unhyphenated(word: str) -> str:
    """The word a stemmer sees: "wi-fi" and "wifi" (or "e-mail" and "email") are one word."""
    return word.replace("-", "")


def tokenise(text: str, keep_breaks: bool = False) -> list[str]:
    """Lower-case word tokens, apostrophes removed ("Don't" -> "dont"); digits dropped.

    With ``keep_breaks``, clause punctuation becomes a "." token.
    """
    pattern = _TOKEN_OR_BREAK if keep_breaks else _TOKEN
    return [plain(t) for t in pattern.findall(text.lower().replace("\u2019", "'"))]


class StemAnalyzer:
    """Callable that maps a text to stemmed unigram and bigram features.

    Parameters
    ----------
    ngram_range : tuple of int, default (1, 2)
        Smallest and largest n-gram of content words.
    track_surface : bool, default True
        Record the most common written form of each stem (for labels).
    """

    def __init__(self, ngram_range=(1, 2), track_surface=True):
        self.ngram_range = ngram_range
        self.track_surface = track_surface
        self._stemmer = SnowballStemmer("english")
        self._cache: dict[str, str] = {}
        self._tokens: dict[str, tuple[str, object]] = {}  # token -> (word, stem or marker)
        self._surface: defaultdict[str, Counter] = defaultdict(Counter)
        # Welsh negations a negated stem was written with ("dim lle"), to say it as written.
        self._welsh_negation: defaultdict[str, Counter] = defaultdict(Counter)

    def stem(self, word: str) -> str:
        """Stem one word, caching the result (survey vocabularies repeat a lot)."""
        stem = self._cache.get(word)
        if stem is None:
            stem = self._cache[word] = self._stemmer.stem(unhyphenated(word))
        return stem

    def clauses(self, text: str) -> list[list[str]]:
        """Content-word stems of each clause of ``text``, negations joined to the next word.

        "Nothing. Excellent, not rude" gives ``[["excel"], ["not_rude"]]``: a negation does
        not reach past its clause, and "nothing" alone is not a negation.
        """
        out, current, negate = [], [], False
        known = self._tokens
        # The tokens of tokenise(_CLAUSE_BREAK.sub(" . ", text), keep_breaks=True), a break
        # character for each ".": break characters are never part of a word.
        for token in _TOKEN_OR_BREAK_CHAR.findall(text.lower().replace("\u2019", "'")):
            found = known.get(token)
            if found is None:
                found = known[token] = self._classify(token)
            word, stem = found
            if stem is _BREAK:
                if current:
                    out.append(current)
                current, negate = [], False
            elif stem is _NEGATION:
                negate = word
            elif stem is not _SKIP:
                if self.track_surface and len(self._surface[stem]) < 20:
                    self._surface[stem][word] += 1
                    if negate in WELSH_NEGATIONS:
                        self._welsh_negation[stem][negate] += 1
                current.append("not_" + stem if negate else stem)
                negate = False
        if current:
            out.append(current)
        return out

    def _classify(self, token: str) -> tuple[str, object]:
        """``(word, stem)`` of a token as :meth:`clauses` uses it; the stem is a marker for a
        clause break, a negation or a word to skip (a stop word, a letter)."""
        if token in _BREAK_CHARS:
            return ".", _BREAK
        word = plain(token)
        if word in NEGATIONS:
            return word, _NEGATION
        if unhyphenated(word) in STOP_WORDS or len(word) < 2:
            return word, _SKIP
        return word, self.stem(word)

    def content_stems(self, text: str) -> list[str]:
        """All content-word stems of ``text`` in order (see :meth:`clauses`)."""
        return [stem for clause in self.clauses(text) for stem in clause]

    def __call__(self, text: str) -> list[str]:
        low, high = self.ngram_range
        feats = []
        for stems in self.clauses(text):  # n-grams never straddle two clauses
            if low <= 1:
                feats += stems
            for n in range(max(2, low), high + 1):
                feats += [" ".join(stems[i:i + n]) for i in range(len(stems) - n + 1)]
        return feats

    def surface(self, feature: str) -> str:
        """Readable form of a feature: the most common word written for each stem."""
        words = []
        for stem in feature.split(" "):
            negated = stem.startswith("not_")
            bare = stem[4:] if negated else stem
            counts = self._surface.get(bare)
            word = counts.most_common(1)[0][0] if counts else bare
            welsh = self._welsh_negation.get(bare) if negated else None
            # A negation as it was written in Welsh ("dim lle"), else "not".
            words.append((welsh.most_common(1)[0][0] if welsh else "not") + " " + word if negated else word)
        return " ".join(words)
