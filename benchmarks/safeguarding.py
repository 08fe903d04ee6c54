"""Benchmark of safeguarding detection: recall, false flags, and the flag rate on real feedback.

    .venv/bin/python -m benchmarks.safeguarding [--data FILE.csv] [--show-misses]

Test sets (written by the developers, in tests/data/): disclosures and innocent uses of the same
risky words, each in a development half (looked at while writing the patterns) and a held-out
half (written before the patterns and never used to tune them). Both halves are reported, and so
is the single-word list the detector replaced, run here on the same sets as a baseline.

Real feedback: the `FFT answer` column of the development data (The-Strategy-Unit/pxtextmining,
datasets/v6framework_230831.csv, MIT licence, copyright 2021 NHS England), read from ../shared/data
beside the repository and never copied in. Almost none of it is a disclosure, so its flag rate is
roughly how many ordinary answers a lead would be asked to read.

Targets: recall >= 0.90, false flags <= 10%, flag rate on the development data <= 3%.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.safeguarding import SAFEGUARDING_WORDS, mentions_safeguarding  # noqa: E402

DATA = ROOT / "tests" / "data"
CANDIDATES = [ROOT.parent / "shared" / "data" / "v6framework_230831.csv",
              Path("/work/shared/data/v6framework_230831.csv")]
OLD_WORD = re.compile(r"[a-z]+(?:-[a-z]+)?")


def old_word_list(text: str) -> bool:
    """The detector before this one: any single word from a list."""
    return any(w in SAFEGUARDING_WORDS - {"cut", "cutting", "strangled", "choked"}
               for w in OLD_WORD.findall(text.lower()))


def read_set(name: str) -> list[tuple[str, str]]:
    """(category, text) pairs from a test set file; innocent files have no category."""
    out = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        category, sep, text = line.partition(" | ")
        out.append((category, text) if sep else ("innocent", line))
    return out


def dev_comments(path: Path | None) -> list[str]:
    path = path or next((p for p in CANDIDATES if p.exists()), None)
    if path is None:
        return []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [t for t in ((row.get("FFT answer") or "").strip() for row in csv.DictReader(handle))
                if t and t != "Did not answer"]


def rate(detect, texts) -> float:
    return sum(map(detect, texts)) / len(texts) if texts else float("nan")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="CSV with an 'FFT answer' column")
    parser.add_argument("--show-misses", action="store_true",
                        help="print misses and false flags of the development half only")
    args = parser.parse_args(argv)
    print(f"{'set':38} {'n':>5} {'detector':>9} {'old list':>9}")
    for half, suffix in (("development", ""), ("held-out", "_heldout")):
        disclosures = read_set(f"safeguarding_disclosures{suffix}.txt")
        innocent = [t for _, t in read_set(f"safeguarding_innocent{suffix}.txt")]
        texts = [t for _, t in disclosures]
        print(f"{half + ' recall (disclosures flagged)':38} {len(texts):5} "
              f"{rate(mentions_safeguarding, texts):9.3f} {rate(old_word_list, texts):9.3f}")
        print(f"{half + ' false flags (innocent flagged)':38} {len(innocent):5} "
              f"{rate(mentions_safeguarding, innocent):9.3f} {rate(old_word_list, innocent):9.3f}")
        categories = sorted({c for c, _ in disclosures})
        for category in categories:
            group = [t for c, t in disclosures if c == category]
            print(f"  {category:36} {len(group):5} {rate(mentions_safeguarding, group):9.3f} "
                  f"{rate(old_word_list, group):9.3f}")
        if args.show_misses and not suffix:
            for t in texts:
                if not mentions_safeguarding(t):
                    print("    missed:", t)
            for t in innocent:
                if mentions_safeguarding(t):
                    print("    false flag:", t)
    comments = dev_comments(args.data)
    if comments:
        print(f"{'development data flag rate':38} {len(comments):5} "
              f"{rate(mentions_safeguarding, comments):9.3f} {rate(old_word_list, comments):9.3f}")
    else:
        print("development data not found: pass --data")
    print("targets: recall >= 0.90, false flags <= 0.10, development data flag rate <= 0.03")


if __name__ == "__main__":
    main()
