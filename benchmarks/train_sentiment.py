"""Train the shipped sentiment model on the tuning half of the development data.

    .venv/bin/python benchmarks/train_sentiment.py            # choose C, train, save, score
    .venv/bin/python benchmarks/train_sentiment.py --dry-run  # same, without saving

The regularisation strength is chosen by 5-fold cross-validation on the tuning half; the
model is then trained on the whole tuning half, written to ``analysis/models/sentiment.npz``,
and scored once on the held-out half (three-way accuracy against the human codes: 1-2
positive, 3 mixed, 4-5 negative), next to VADER alone.  See :mod:`benchmarks.devdata` for the
split.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.sentiment import CLASSES, MODEL_FILE, SentimentModel, vader_features  # noqa: E402
from benchmarks.devdata import DEFAULT_DATA, load_rows, sentiment_subset  # noqa: E402

C_GRID = (1.0, 3.0, 10.0)


def accuracy(model, texts, classes) -> float:
    predicted = model.probabilities(texts).argmax(axis=1)
    return float(np.mean([CLASSES[i] == c for i, c in zip(predicted, classes, strict=True)]))


def vader_accuracy(texts, classes) -> float:
    compound = vader_features(texts)[:, 0]
    guess = np.where(compound > 0.05, "positive", np.where(compound < -0.05, "negative", "mixed"))
    return float(np.mean(guess == np.asarray(classes)))


def cross_validate(texts, classes, C, folds=5, seed=0) -> float:
    order = np.random.RandomState(seed).permutation(len(texts))
    scores = []
    for f in range(folds):
        test = set(order[f::folds].tolist())
        train = [i for i in range(len(texts)) if i not in test]
        model = SentimentModel.fit([texts[i] for i in train], [classes[i] for i in train], C=C)
        scores.append(accuracy(model, [texts[i] for i in sorted(test)],
                               [classes[i] for i in sorted(test)]))
    return float(np.mean(scores))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    parser.add_argument("--dry-run", action="store_true", help="do not write the model file")
    args = parser.parse_args(argv)
    rows = load_rows(args.data)
    texts, classes = sentiment_subset(rows, "tuning")
    test_texts, test_classes = sentiment_subset(rows, "held-out")
    print(f"tuning half: {len(texts)} answers, held-out half: {len(test_texts)} answers")
    cv = {C: cross_validate(texts, classes, C) for C in C_GRID}
    for C, acc in cv.items():
        print(f"  C = {C:g}: 5-fold accuracy on the tuning half {acc:.3f}")
    best = max(cv, key=cv.get)
    model = SentimentModel.fit(texts, classes, C=best)
    print(f"chosen C = {best:g}")
    print(f"held-out three-way accuracy: model {accuracy(model, test_texts, test_classes):.3f}, "
          f"VADER alone {vader_accuracy(test_texts, test_classes):.3f}, "
          f"majority class {max(test_classes.count(c) for c in CLASSES) / len(test_classes):.3f}")
    print("trained on one trust's tuning half, scored on the other trust's held-out half "
          "(unlike feedback: ambulance and 111 against mental health and community care):")
    for train, test in (("NEAS", "NHFT"), ("NHFT", "NEAS")):
        fitted = SentimentModel.fit(*sentiment_subset(rows, "tuning", train), C=best)
        print(f"  {train} -> {test}: {accuracy(fitted, *sentiment_subset(rows, 'held-out', test)):.3f}")
    if not args.dry_run:
        model.save(MODEL_FILE)
        print(f"saved {MODEL_FILE} ({MODEL_FILE.stat().st_size / 1024:.0f} KB)")


if __name__ == "__main__":
    main()
