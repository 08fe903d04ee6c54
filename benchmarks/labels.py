"""Label quality: does each theme's label read as a phrase and describe its theme?

    .venv/bin/python benchmarks/themes.py --labels                    # both halves and the demo
    .venv/bin/python benchmarks/themes.py --labels --halves tuning    # while tuning

Run from benchmarks/themes.py.  Each run is measured twice in fresh processes, with the labelling
of a base commit (``--labels-base``, default the main of 29 November 2026 before issue #11, its
``analysis/`` read with ``git archive``) and with the working tree's, on the same answers and the
same seed: the themes are the same, only labels and quotes differ.

Per label (themes and sub-themes apart), with "content keys" the label's content words,
stemmed, a negation joined to the word after it ("no problems" -> not_problem), as the engine
reads answers:

* support: share of the theme's answers that hold every content key of the label;
* distinctiveness: of the answers that hold them (all answers of the run; for a sub-theme, its
  parent's answers), the share in this theme;
* quote agrees: the first quote shown holds every content key of the label;
* fallback: a label made of keywords ("Ward, sessions"), not a phrase people wrote;
* fragment: a label of one or two words (not a fallback) that is not a whole phrase in the
  theme's answers: most answers that hold it go on with the same next word ("Good thank" ...
  "you") or have the same word before it, it ends on a word that needs one after it ("of",
  "the"), or fewer than two answers wrote it.  No part-of-speech tagger is used (none ships
  without a download), so this is a proxy for "not a recognised noun phrase";
* cut: the same test for a phrase label of any length ("AI scribes so the doctor" ... "can");
* duplicates: labels said twice in one run (case and spaces ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BASE = "f73a01e"
# Words after which a phrase cannot end (it needs a word after it).
_DANGLING = frozenset(
    "a an the to of in on at for with by from about into than as and or but so because if "
    "when that which who while my your his her their our its is are was were be been being am "
    "have has had do does can could will would should may might must very too not no".split())


# Words that start a new clause or a second conjunct: a phrase may end before them.
_CLAUSE_WORDS = frozenset("and or but so because when while if which who that".split())
# Helping verbs: a phrase that most answers start with one of them is cut ("could" | not do
# any better).
_HELPING = frozenset("could would can will should must may might do did does".split())


def extract_base(commit: str, into: str) -> str:
    """``analysis/`` of ``commit`` written under ``into``; returns ``into``."""
    data = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "analysis"],
                          capture_output=True, check=True).stdout
    with tarfile.open(fileobj=BytesIO(data)) as archive:
        archive.extractall(into, filter="data")
    return into


def demo_texts(n: int = 600, seed: int = 7) -> list[str]:
    """The demo's sample answers (engage/sample_responses.py), as the board shows them."""
    from engage.sample_responses import SEGMENT_DRAWS, _sentence

    rng = random.Random(seed)
    return [_sentence(rng, rng.choice(SEGMENT_DRAWS)) for _ in range(n)]


class Keys:
    """Content keys of texts, read the way the engine reads answers."""

    def __init__(self):
        from nltk.stem.snowball import SnowballStemmer

        from analysis.text import _CLAUSE_BREAK, NEGATIONS, STOP_WORDS, tokenise

        self._stem = SnowballStemmer("english").stem
        self._tokenise, self._break = tokenise, _CLAUSE_BREAK
        self._neg, self._stop = NEGATIONS, STOP_WORDS
        self._cache: dict[str, str] = {}

    def stem(self, word: str) -> str:
        s = self._cache.get(word)
        if s is None:
            s = self._cache[word] = self._stem(word.replace("-", ""))
        return s

    def tokens(self, text: str) -> list[str]:
        return self._tokenise(self._break.sub(" . ", text), keep_breaks=True)

    def of(self, text: str) -> set[str]:
        keys, negate = set(), False
        for word in self.tokens(text):
            if word == ".":
                negate = False
            elif word in self._neg:
                negate = True
            elif word.replace("-", "") not in self._stop and len(word) > 1:
                keys.add(("not_" if negate else "") + self.stem(word))
                negate = False
        return keys


def is_fragment(label: str, texts, keys: Keys, longest: int = 2) -> bool:
    """A label of at most ``longest`` words (not a keyword fallback) that is not a whole
    phrase in ``texts``."""
    words = [w for w in keys.tokens(label) if w != "."]
    if "," in label or not words or len(words) > longest:
        return False
    if words[-1] in _DANGLING:
        return True
    n = len(words)
    before, after, uses = {}, {}, 0
    for text in texts:
        tokens = keys.tokens(text)
        for i in range(len(tokens) - n + 1):
            if tokens[i:i + n] == words:
                uses += 1
                prev = tokens[i - 1] if i > 0 else "."
                nxt = tokens[i + n] if i + n < len(tokens) else "."
                if prev != ".":
                    before[prev] = before.get(prev, 0) + 1
                if nxt != ".":
                    after[nxt] = after.get(nxt, 0) + 1
                break
    if uses < 2:
        return True
    nxt = max(after.items(), key=lambda kv: kv[1], default=(".", 0))
    prev = max(before.items(), key=lambda kv: kv[1], default=(".", 0))
    # Cut at the end: most uses go on with the same word, unless it starts a new clause or a
    # second conjunct ("AI scribes" | so ..., "Kind and caring" | and ...).  Cut at the start:
    # most uses have the same content word, negation or helping verb before the label ("making"
    # | sure it works, "could" | not do any better), not "I", "they were" or "the".
    return (nxt[1] * 2 > uses and nxt[0] not in _CLAUSE_WORDS) or (
        prev[1] * 2 > uses and (prev[0] not in keys._stop or prev[0] in keys._neg
                                or prev[0] in _HELPING))


def label_rows(texts, members, pool, labels, quotes, keys: Keys) -> list[dict]:
    """Per-label figures; ``members[t]`` and ``pool`` are lists of answer indices."""
    answer_keys = {i: keys.of(texts[i]) for i in pool}
    rows = []
    for t, label in enumerate(labels):
        want = keys.of(label)
        own = members[t]
        holds = [i for i in pool if want <= answer_keys[i]] if want else []
        inside = set(own)
        support = (sum(want <= answer_keys[i] for i in own) / len(own)) if own and want else 0.0
        distinct = (sum(i in inside for i in holds) / len(holds)) if holds else 0.0
        top = quotes[t][0] if quotes[t] else ""
        rows.append({"label": label, "size": len(own), "support": support,
                     "distinct": distinct, "quote_agrees": bool(want) and want <= keys.of(top),
                     "fallback": "," in label,
                     "fragment": is_fragment(label, [texts[i] for i in own], keys),
                     "cut": is_fragment(label, [texts[i] for i in own], keys, longest=99),
                     "words": len(label.replace(",", " ").split()), "quote": top})
    return rows


def measure(texts, seed: int = 0) -> dict:
    """Fit the engine on ``texts`` and return per-label figures for themes and sub-themes."""
    from analysis import ThemeModel

    model = ThemeModel(random_state=seed).fit(texts)
    keys = Keys()
    labels = np.asarray(model.labels_)
    sub = np.asarray(model.sublabels_)
    everyone = list(np.flatnonzero(labels >= 0))
    themes = model.themes_
    members = [list(np.flatnonzero(labels == t.id)) for t in themes]
    out = {"themes": label_rows(texts, members, everyone, [t.label for t in themes],
                                [t.quotes for t in themes], keys), "subthemes": []}
    for t in themes:
        if not t.subthemes:
            continue
        parent = list(np.flatnonzero(labels == t.id))
        subm = [[i for i in parent if sub[i] == s.id] for s in t.subthemes]
        out["subthemes"] += label_rows(texts, subm, parent, [s.label for s in t.subthemes],
                                       [s.quotes for s in t.subthemes], keys)
    every = [r["label"] for r in out["themes"] + out["subthemes"]]
    low = [" ".join(x.lower().split()) for x in every]
    out["duplicates"] = len(low) - len(set(low))
    return out


def summary(rows) -> dict:
    if not rows:
        return {"labels": 0}
    return {"labels": len(rows),
            "support": float(np.median([r["support"] for r in rows])),
            "distinct": float(np.median([r["distinct"] for r in rows])),
            "quote_agrees": sum(r["quote_agrees"] for r in rows),
            "fallback": sum(r["fallback"] for r in rows),
            "fragment": sum(r["fragment"] for r in rows),
            "cut": sum(r["cut"] for r in rows),
            "max_words": max(r["words"] for r in rows),
            "median_words": float(np.median([r["words"] for r in rows]))}


def child(data: str, half: str | None, seed: int) -> dict:
    if half == "demo":
        texts = demo_texts()
    else:
        from benchmarks.devdata import load_rows, single_theme_subset

        texts = single_theme_subset(load_rows(data), half)[0]
    return measure(texts, seed)


def run(data, half, seed, base_dir=None) -> dict:
    """One measurement in a fresh interpreter, with ``analysis`` from ``base_dir`` if given."""
    env = dict(os.environ)
    if base_dir:
        env["LABELS_ANALYSIS_FROM"] = base_dir
    cmd = [sys.executable, __file__, "--child", "--data", str(data), "--half", half,
           "--seed", str(seed)]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if done.returncode:
        raise SystemExit(f"label measurement failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(data, halves, base=DEFAULT_BASE, seeds=(0,), show: int = 10) -> None:
    """Print before (``base``) and after figures for the demo and each half."""
    print(f"\nLabel quality (before: analysis/ of {base}; after: this tree). Medians of support "
          "and distinctiveness; counts of top quotes that hold the label's words, keyword "
          "fallbacks, one- or two-word fragments; duplicates across the run")
    with tempfile.TemporaryDirectory() as tmp:
        base_dir = extract_base(base, tmp)
        for half in ["demo", *halves]:
            for seed in seeds:
                results = {"before": run(data, half, seed, base_dir), "after": run(data, half, seed)}
                print(f"\n  {half}{'' if half == 'demo' else ' half'}, seed {seed}")
                print(f"    {'':6} {'kind':9} {'labels':>6} {'support':>7} {'distinct':>8} "
                      f"{'quote ok':>8} {'fallback':>8} {'fragment':>8} {'cut':>3} {'words':>9} {'dup':>3}")
                for when, r in results.items():
                    for kind in ("themes", "subthemes"):
                        s = summary(r[kind])
                        if not s["labels"]:
                            continue
                        print(f"    {when:6} {kind:9} {s['labels']:>6} {s['support']:>7.2f} "
                              f"{s['distinct']:>8.2f} {s['quote_agrees']:>8} {s['fallback']:>8} "
                              f"{s['fragment']:>8} {s['cut']:>3} "
                              f"{s['median_words']:>4.0f}/{s['max_words']:<4} "
                              f"{r['duplicates'] if kind == 'themes' else '':>3}")
                if show:
                    for when, r in results.items():
                        print(f"    {when}: largest {show} themes (size | label | support | "
                              "top quote)")
                        for row in r["themes"][:show]:
                            print(f"      {row['size']:4} | {row['label']} | "
                                  f"{row['support']:.2f} | {row['quote'][:80]}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--data")
    parser.add_argument("--half", default="tuning")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.data, args.half, args.seed)))


if __name__ == "__main__":
    _base = os.environ.get("LABELS_ANALYSIS_FROM")
    sys.path.insert(0, str(ROOT))
    if _base:
        sys.path.insert(0, _base)
    main()
