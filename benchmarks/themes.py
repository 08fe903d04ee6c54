"""Benchmark of the theme engine: quality against human codes, stability, redaction, scale.

    .venv/bin/python benchmarks/themes.py                 # everything
    .venv/bin/python benchmarks/themes.py --quality --stability --redaction
    .venv/bin/python benchmarks/themes.py --scale 10000,100000
    .venv/bin/python benchmarks/themes.py --data other.csv --quality

Development data: The-Strategy-Unit/pxtextmining, datasets/v6framework_230831.csv (MIT licence,
copyright 2021 NHS England), read from ../shared/data next to the repository, never copied in.
Every measurement runs in a fresh process so its peak memory (max RSS) is its own.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis import Redactor, ThemeModel  # noqa: E402
from analysis.evaluate import agreement, matched_themes, stay_together  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "v6framework_230831.csv"
TEXT, FIRST_THEME = "FFT answer", 11
TARGETS = {
    "nmi": "NMI >= 0.33 with automatic k (baselines: TF-IDF+LSA+k-means true k 0.24, "
           "MiniLM+k-means 0.32)",
    10_000: "under 3 s",
    100_000: "under 60 s, peak memory under 2 GB",
    1_000_000: "completes in bounded memory",
}


def load_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def single_theme_subset(rows):
    """Answers with exactly one human theme, dropping empty / unanswered / unlabellable."""
    themes = list(rows[0])[FIRST_THEME:]
    texts, codes = [], []
    for row in rows:
        answer = (row[TEXT] or "").strip()
        if not answer or answer == "Did not answer" or row.get("Labelling not possible") == "1":
            continue
        coded = [t for t in themes if (row[t] or "").strip() not in ("", "0")]
        if len(coded) == 1:
            texts.append(answer)
            codes.append(coded[0])
    return texts, codes


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_fit(texts, **params):
    """Fit; return the model, wall-clock seconds and CPU seconds (all threads).

    CPU time is printed too because wall time on a shared machine includes waiting for a core.
    """
    start, cpu = time.perf_counter(), time.process_time()
    model = ThemeModel(random_state=0, **params).fit(texts)
    return model, time.perf_counter() - start, time.process_time() - cpu


def quality(path, seeds=(0, 1, 2)):
    """Agreement with the human codes, with the chosen and with the true number of themes.

    Reported for seed 0 and as mean and spread over ``seeds``: differences of about 0.01
    NMI between runs are noise from the random SVD and sampling, not a better method.
    """
    texts, codes = single_theme_subset(load_rows(path))
    true_k = len(set(codes))
    runs = []
    for seed in seeds:
        start, cpu = time.perf_counter(), time.process_time()
        auto = ThemeModel(random_state=seed).fit(texts)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        fixed = ThemeModel(random_state=seed, n_themes=true_k).fit(texts)
        runs.append({"k": len(auto.themes_), "auto": agreement(codes, auto.labels_),
                     "true_k_scores": agreement(codes, fixed.labels_),
                     "seconds": seconds, "cpu": cpu,
                     "non_answers": int((auto.labels_ < 0).sum())})

    def spread(key, metric):
        values = np.array([r[key][metric] for r in runs])
        return {"mean": float(values.mean()), "sd": float(values.std())}

    first = runs[0]
    return {
        "answers": len(texts), "true_k": true_k, "chosen_k": first["k"],
        "chosen_k_all": [r["k"] for r in runs], "auto": first["auto"],
        "true_k_scores": first["true_k_scores"], "seconds": first["seconds"],
        "cpu": first["cpu"], "peak_mb": peak_mb(), "non_answers": first["non_answers"],
        "seeds": len(runs),
        "auto_nmi": spread("auto", "nmi"), "auto_ari": spread("auto", "ari"),
        "true_nmi": spread("true_k_scores", "nmi"), "true_ari": spread("true_k_scores", "ari"),
    }


def stability(path, splits=(0, 1, 2, 3)):
    """Fit on 10/11 of the answers, then on all: share of earlier pairs kept together.

    Reported for the first split (a fixed random order of the answers) and as mean and spread
    over ``splits``: one split moves by several points from the luck of which answers are added.
    """
    all_texts = [r[TEXT] for r in load_rows(path) if (r[TEXT] or "").strip()]
    runs = []
    for split in splits:
        order = np.random.RandomState(split).permutation(len(all_texts))
        texts = [all_texts[i] for i in order]
        cut = int(round(len(texts) / 1.1))
        before = ThemeModel(random_state=0).fit(texts[:cut])
        after = ThemeModel(random_state=0).fit(texts)
        run = {"k_before": len(before.themes_), "k_after": len(after.themes_),
               "stay_together": stay_together(before.labels_, after.labels_[:cut]),
               "matched": matched_themes(before.labels_, after.labels_[:cut])}
        if not runs:
            same_seed = ThemeModel(random_state=0).fit(texts[:cut])
            run["deterministic"] = bool((same_seed.labels_ == before.labels_).all())
            run["answers_before"], run["answers_after"] = cut, len(texts)
        runs.append(run)
    result = dict(runs[0])
    result["splits"] = len(runs)
    for key in ("stay_together", "matched"):
        values = np.array([r[key] for r in runs])
        result[key + "_mean"], result[key + "_sd"] = float(values.mean()), float(values.std())
    return result


def redaction(path):
    rows = load_rows(path)
    flag = "Person identifiable info?"
    flagged = [r[TEXT] for r in rows if (r.get(flag) or "").strip() not in ("", "0")]
    everything = [r[TEXT] for r in rows if (r[TEXT] or "").strip()]
    redactor = Redactor()

    def share(texts):
        kinds = {}
        changed = 0
        for text in texts:
            found = redactor.find(text)
            changed += bool(found)
            for m in found:
                kinds[m.kind] = kinds.get(m.kind, 0) + 1
        return {"rows": len(texts), "changed": changed,
                "share": changed / len(texts) if texts else None, "by_kind": kinds}

    return {"flagged": share(flagged), "all": share(everything)}


def synthetic(n, path, seed=0):
    """``n`` answers resampled from the real ones, each lightly perturbed."""
    pool = [r[TEXT] for r in load_rows(path)
            if (r[TEXT] or "").strip() and r[TEXT] != "Did not answer"]
    fillers = ["really", "honestly", "again", "overall", "today", "to be fair", "as usual",
               "thanks", "I think", "though"]
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        words = rng.choice(pool).split()
        roll = rng.random()
        if roll < 0.3 and len(words) > 3:
            del words[rng.randrange(len(words))]
        elif roll < 0.6:
            words.insert(rng.randrange(len(words) + 1), rng.choice(fillers))
        elif roll < 0.8 and words:
            i = rng.randrange(len(words))
            w = words[i]
            if len(w) > 3:  # a typo: swap two adjacent letters
                j = rng.randrange(len(w) - 1)
                words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
        out.append(" ".join(words) + rng.choice(["", ".", "!", f" {rng.randint(1, 99)}"]))
    return out


def scale(n, path):
    texts = synthetic(n, path)
    before = peak_mb()
    model, seconds, cpu = timed_fit(texts)
    return {"answers": n, "seconds": seconds, "cpu": cpu, "peak_mb": peak_mb(),
            "data_mb": before,
            "themes": len(model.themes_)}


def in_child(part, path, n=None):
    """Run one measurement in a fresh interpreter; return its JSON result."""
    cmd = [sys.executable, __file__, "--child", part, "--data", str(path)]
    if n:
        cmd += ["--n", str(n)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{part} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(DEFAULT_DATA), help="labelled CSV")
    parser.add_argument("--quality", action="store_true")
    parser.add_argument("--stability", action="store_true")
    parser.add_argument("--redaction", action="store_true")
    parser.add_argument("--scale", help="comma-separated sizes, e.g. 10000,100000,1000000")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    path = Path(args.data)
    if args.child:
        parts = {"quality": quality, "stability": stability, "redaction": redaction}
        result = scale(args.n, path) if args.child == "scale" else parts[args.child](path)
        print(json.dumps(result))
        return
    everything = not (args.quality or args.stability or args.redaction or args.scale)
    if not path.exists():
        raise SystemExit(f"data file not found: {path}")
    print(f"data: {path}")
    if args.quality or everything:
        q = in_child("quality", path)
        print(f"\nQuality on the single-theme subset ({q['answers']} answers, "
              f"{q['true_k']} human themes; {q['non_answers']} set aside as non-answers)")
        print(f"  seed 0, automatic k = {q['chosen_k']}: NMI {q['auto']['nmi']:.3f}  "
              f"ARI {q['auto']['ari']:.3f}   target: {TARGETS['nmi']}")
        print(f"  seed 0, true k = {q['true_k']}:      NMI {q['true_k_scores']['nmi']:.3f}  "
              f"ARI {q['true_k_scores']['ari']:.3f}")
        print(f"  over {q['seeds']} seeds (k chosen: {q['chosen_k_all']}): automatic k NMI "
              f"{q['auto_nmi']['mean']:.3f} +- {q['auto_nmi']['sd']:.3f}, ARI "
              f"{q['auto_ari']['mean']:.3f} +- {q['auto_ari']['sd']:.3f}; true k NMI "
              f"{q['true_nmi']['mean']:.3f} +- {q['true_nmi']['sd']:.3f}, ARI "
              f"{q['true_ari']['mean']:.3f} +- {q['true_ari']['sd']:.3f}")
        print(f"  time {q['seconds']:.2f} s (CPU {q['cpu']:.2f} s), "
              f"peak memory {q['peak_mb']:.0f} MB")
    if args.stability or everything:
        s = in_child("stability", path)
        print(f"\nStability: {s['answers_before']} answers, then {s['answers_after']} (+10%)")
        print(f"  themes {s['k_before']} -> {s['k_after']}; pairs of earlier answers kept "
              f"together: {s['stay_together']:.1%}; same seed same result: "
              f"{s['deterministic']}")
        print(f"  earlier themes still found (Jaccard >= 0.5 with a later theme): "
              f"{s['matched']:.0%}")
        print(f"  over {s['splits']} random splits: pairs kept together "
              f"{s['stay_together_mean']:.1%} +- {s['stay_together_sd']:.1%}, themes still found "
              f"{s['matched_mean']:.0%} +- {s['matched_sd']:.0%}")
    if args.redaction or everything:
        r = in_child("redaction", path)
        f, a = r["flagged"], r["all"]
        print("\nRedaction")
        if f["rows"]:
            print(f"  rows flagged as personal information: {f['rows']}, changed "
                  f"{f['changed']} ({f['share']:.1%})  by kind {f['by_kind']}")
        else:
            print("  no rows are flagged in 'Person identifiable info?' in this file")
        print(f"  all answers: {a['rows']}, changed {a['changed']} ({a['share']:.1%})  "
              f"by kind {a['by_kind']}")
    sizes = args.scale or ("10000,100000,1000000" if everything else "")
    if sizes:
        print("\nScale (resampled, perturbed real answers; redaction to labelled themes; "
              "2 cores)")
        for n in (int(s) for s in sizes.split(",") if s):
            r = in_child("scale", path, n)
            target = TARGETS.get(n, "")
            print(f"  {n:>9,} answers: {r['seconds']:7.1f} s (CPU {r['cpu']:.1f} s), peak memory "
                  f"{r['peak_mb']:6.0f} MB (input alone {r['data_mb']:.0f} MB), "
                  f"{r['themes']} themes   target: {target}")


if __name__ == "__main__":
    main()
