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
                              "went", "want", "going", "need", "needed"})
STOP_WORDS = (frozenset(ENGLISH_STOP_WORDS) | EXTRA_STOP_WORDS) - NEGATIONS

# Letters straight after a digit ("1st", "10am") are not a word.  A hyphenated word ("Wi-Fi",
# "follow-up", "face-to-face") is one token: split, it gave labels and keywords such as "fi, wi".
_WORD = r"(?<![0-9a-z])[a-z](?:[a-z']*[a-z])?(?:-[a-z](?:[a-z']*[a-z])?)*"
_TOKEN = re.compile(_WORD)
_CLAUSE_BREAK = re.compile(r"[.!?;:,()\n]+")
_TOKEN_OR_BREAK = re.compile(_WORD + r"|\.")


def unhyphenated(word: str) -> str:
    """The word a stemmer sees: "wi-fi" and "wifi" (or "e-mail" and "email") are one word."""
    return word.replace("-", "")


def tokenise(text: str, keep_breaks: bool = False) -> list[str]:
    """Lower-case word tokens, apostrophes removed ("Don't" -> "dont"); digits dropped.

    With ``keep_breaks``, clause punctuation becomes a "." token.
    """
    pattern = _TOKEN_OR_BREAK if keep_breaks else _TOKEN
    return [t.replace("'", "") for t in pattern.findall(text.lower().replace("\u2019", "'"))]


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
        self._surface: defaultdict[str, Counter] = defaultdict(Counter)

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
        for word in tokenise(_CLAUSE_BREAK.sub(" . ", text), keep_breaks=True):
            if word == ".":
                if current:
                    out.append(current)
                current, negate = [], False
                continue
            if word in NEGATIONS:
                negate = True
                continue
            if unhyphenated(word) in STOP_WORDS or len(word) < 2:
                continue
            stem = self.stem(word)
            if self.track_surface and len(self._surface[stem]) < 20:
                self._surface[stem][word] += 1
            current.append("not_" + stem if negate else stem)
            negate = False
        if current:
            out.append(current)
        return out

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
            words.append("not " + word if negated else word)
        return " ".join(words)
