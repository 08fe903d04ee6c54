"""Benchmark of the theme engine: quality against human codes, stability, redaction, scale.

    .venv/bin/python benchmarks/themes.py                 # everything
    .venv/bin/python benchmarks/themes.py --quality --autok --sentiment
    .venv/bin/python benchmarks/themes.py --autok --halves ""      # planted topics only
    .venv/bin/python benchmarks/themes.py --quality --autok --halves tuning   # while tuning
    .venv/bin/python benchmarks/themes.py --stability --redaction
    .venv/bin/python benchmarks/themes.py --scale 10000,100000
    .venv/bin/python benchmarks/themes.py --data other.csv --quality
    .venv/bin/python benchmarks/themes.py --labels --halves tuning   # label quality, before/after
    .venv/bin/python benchmarks/themes.py --labelled coded.csv       # outside data: text,code rows

Development data: The-Strategy-Unit/pxtextmining, datasets/v6framework_230831.csv (MIT licence,
copyright 2021 NHS England), read from ../shared/data next to the repository, never copied in.
Every measurement runs in a fresh process so its peak memory (max RSS) is its own.
"""

from __future__ import annotations

import argparse
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
from benchmarks.devdata import (  # noqa: E402
    DEFAULT_DATA,
    HALVES,
    OUTSIDE,
    TEXT,
    coded_answers,
    load_rows,
    sentiment_subset,
)

TARGETS = {
    "nmi": "NMI >= 0.33 with automatic k on the held-out half",
    "autok": "NMI auto >= 0.95 x NMI given the true count; reported count within x1.5",
    "sentiment": "three-way accuracy >= 0.80 on the held-out half",
    10_000: "under 3 s",
    100_000: "under 60 s, peak memory under 2 GB",
    1_000_000: "completes in bounded memory",
}
AUTOK_COUNTS = (5, 10, 20, 60)
AUTOK_SIZES = (300, 1000, 100_000)
AUTOK_SEEDS = (0, 1, 2)
# A human theme with fewer answers than this is not drawn for the auto-k subsets: three
# answers are a quote, not a theme, and no method should be asked to find them.
AUTOK_MIN_THEME = 10


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def helper_peak_mb():
    """Peak memory of the fit's helper process (analysis.sidecar), the largest finished child."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def helper_cpu():
    """CPU seconds of this process's finished children (the fit's helper, analysis.sidecar)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_fit(texts, **params):
    """Fit; return the model, wall-clock seconds and CPU seconds (all threads, and the helper
    process of analysis.sidecar).

    CPU time is printed too because wall time on a shared machine includes waiting for a core.
    """
    start, cpu, helper = time.perf_counter(), time.process_time(), helper_cpu()
    model = ThemeModel(random_state=0, **params).fit(texts)
    return (model, time.perf_counter() - start,
            time.process_time() - cpu + helper_cpu() - helper)


def baseline_labels(texts, k, stem=False, seed=0):
    """The anchor baselines: TF-IDF + LSA (100 dimensions) + k-means given the true count.

    scikit-learn's English stop words, sublinear TF, min_df 2; with ``stem`` words go
    through NLTK's Snowball stemmer (no download).  Pinned: seed 0, 10 k-means starts.
    """
    from nltk.stem.snowball import SnowballStemmer
    from sklearn.cluster import KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    params = dict(sublinear_tf=True, min_df=2, stop_words="english")
    if stem:
        stemmer = SnowballStemmer("english")
        plain = TfidfVectorizer(**params).build_analyzer()
        params = dict(sublinear_tf=True, min_df=2,
                      analyzer=lambda text: [stemmer.stem(w) for w in plain(text)])
    X = TfidfVectorizer(**params).fit_transform(texts)
    dims = max(2, min(100, X.shape[1] - 1, X.shape[0] - 1))
    Z = normalize(TruncatedSVD(dims, random_state=seed).fit_transform(X))
    return KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(Z)


def quality(path, half, seeds=(0, 1, 2)):
    """Agreement with the human codes on one half: engine (automatic and true count) and the
    two baselines given the true count.

    Reported for seed 0 and as mean and spread over ``seeds``: differences of about 0.01
    NMI between runs are noise from the random SVD and sampling, not a better method.
    """
    texts, codes = coded_answers(path, half)
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
        "half": half, "answers": len(texts), "true_k": true_k, "chosen_k": first["k"],
        "chosen_k_all": [r["k"] for r in runs], "auto": first["auto"],
        "true_k_scores": first["true_k_scores"], "seconds": first["seconds"],
        "cpu": first["cpu"], "peak_mb": peak_mb(), "non_answers": first["non_answers"],
        "seeds": len(runs),
        "auto_nmi": spread("auto", "nmi"), "auto_ari": spread("auto", "ari"),
        "true_nmi": spread("true_k_scores", "nmi"), "true_ari": spread("true_k_scores", "ari"),
        "baseline": agreement(codes, baseline_labels(texts, true_k)),
        "baseline_stem": agreement(codes, baseline_labels(texts, true_k, stem=True)),
    }


def autok_subsets(texts, codes, counts=AUTOK_COUNTS, sizes=AUTOK_SIZES, seeds=AUTOK_SEEDS):
    """Subsets of answers of ``k`` randomly chosen human themes, for each k, size and seed.

    Yields ``(k asked, k kept, size asked, seed, texts, codes)``.  k larger than the number of
    themes with at least AUTOK_MIN_THEME answers is capped to that number; a size larger than
    the chosen themes' answers keeps them all (and is skipped if an earlier size already did).
    """
    by_theme = {}
    for i, c in enumerate(codes):
        by_theme.setdefault(c, []).append(i)
    eligible = sorted(c for c, rows in by_theme.items() if len(rows) >= AUTOK_MIN_THEME)
    for k in counts:
        k_kept = min(k, len(eligible))
        for seed in seeds:
            rng = np.random.RandomState(1000 * k + seed)
            chosen = rng.choice(eligible, k_kept, replace=False)
            rows = np.array(sorted(i for c in chosen for i in by_theme[c]))
            done_all = False
            for size in sizes:
                if done_all:
                    break
                take = rows
                if size < len(rows):
                    take = np.sort(rng.choice(rows, size, replace=False))
                else:
                    done_all = True
                sub_codes = [codes[i] for i in take]
                if len(set(sub_codes)) < 2:
                    continue
                yield k, len(set(sub_codes)), size, seed, [texts[i] for i in take], sub_codes


def autok(path, half):
    """The auto-k table on one half: NMI with the automatic count vs given the true count."""
    texts, codes = coded_answers(path, half)
    out = []
    for k, k_true, size, seed, sub_texts, sub_codes in autok_subsets(texts, codes):
        auto = ThemeModel(random_state=seed).fit(sub_texts)
        fixed = ThemeModel(random_state=seed, n_themes=k_true).fit(sub_texts)
        out.append({"k": k, "k_true": k_true, "size": size, "answers": len(sub_texts),
                    "seed": seed, "k_auto": len(auto.themes_),
                    "nmi_auto": agreement(sub_codes, auto.labels_)["nmi"],
                    "nmi_true": agreement(sub_codes, fixed.labels_)["nmi"],
                    "nmi_baseline": agreement(sub_codes, baseline_labels(sub_texts, k_true))["nmi"]})
    return out


PLANTED_COUNTS = (5, 10, 20, 60)
PLANTED_SIZES = (300, 1000, 10_000, 100_000)


def planted(path=None, half=None):
    """The auto-k table on answers with planted topics (benchmarks/planted.py): separate
    groups, so the count reported should be the count planted, at every size."""
    from benchmarks.planted import planted_topics

    out = []
    for k in PLANTED_COUNTS:
        for size in PLANTED_SIZES:
            texts, codes = planted_topics(k, size, seed=k)
            auto = ThemeModel(random_state=0).fit(texts)
            fixed = ThemeModel(random_state=0, n_themes=k).fit(texts)
            out.append({"k": k, "k_true": k, "size": size, "answers": size, "seed": k,
                        "k_auto": len(auto.themes_),
                        "nmi_auto": agreement(codes, auto.labels_)["nmi"],
                        "nmi_true": agreement(codes, fixed.labels_)["nmi"],
                        "nmi_baseline": agreement(codes, baseline_labels(texts, k))["nmi"]})
    return out


def sentiment_accuracy(path):
    """Three-way accuracy of the shipped sentiment model on each half (trained on tuning)."""
    from analysis.sentiment import sentiment_classes, vader_features

    rows = load_rows(path)
    out = {}
    for half in HALVES:
        texts, classes = sentiment_subset(rows, half)
        guess = sentiment_classes(texts)
        compound = vader_features(texts)[:, 0]
        vader = np.where(compound > 0.05, "positive",
                         np.where(compound < -0.05, "negative", "mixed"))
        out[half] = {"answers": len(texts),
                     "model": float(np.mean(np.array(guess) == np.array(classes))),
                     "vader": float(np.mean(vader == np.array(classes)))}
    return out


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


def scale(n, path, n_jobs=None):
    texts = synthetic(n, path)
    before = peak_mb()
    model, seconds, cpu = timed_fit(texts, n_jobs=n_jobs)
    return {"answers": n, "seconds": seconds, "cpu": cpu, "peak_mb": peak_mb(),
            "helper_mb": helper_peak_mb(),
            "data_mb": before,
            "themes": len(model.themes_)}


def in_child(part, path, n=None, half=None, n_jobs=None):
    """Run one measurement in a fresh interpreter; return its JSON result."""
    cmd = [sys.executable, __file__, "--child", part, "--data", str(path)]
    if n:
        cmd += ["--n", str(n)]
    if n_jobs:
        cmd += ["--n-jobs", str(n_jobs)]
    if half:
        cmd += ["--half", half]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{part} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def print_quality(q):
    where, kind = (("outside file", "coded") if q["half"] == OUTSIDE
                   else (f"{q['half']} half", "single-theme"))
    print(f"\nQuality, {where} ({q['answers']} {kind} answers, {q['true_k']} "
          f"human themes; {q['non_answers']} set aside as non-answers)")
    print(f"  engine, automatic k = {q['chosen_k']}: NMI {q['auto']['nmi']:.3f}  "
          f"ARI {q['auto']['ari']:.3f}   target ({q['half']}): {TARGETS['nmi']}")
    print(f"  engine, true k = {q['true_k']}:      NMI {q['true_k_scores']['nmi']:.3f}  "
          f"ARI {q['true_k_scores']['ari']:.3f}")
    print(f"  baseline TF-IDF + LSA + k-means, true k:          NMI {q['baseline']['nmi']:.3f}  "
          f"ARI {q['baseline']['ari']:.3f}")
    print(f"  baseline stemmed TF-IDF + LSA + k-means, true k:  NMI "
          f"{q['baseline_stem']['nmi']:.3f}  ARI {q['baseline_stem']['ari']:.3f}")
    print(f"  over {q['seeds']} seeds (k chosen: {q['chosen_k_all']}): automatic k NMI "
          f"{q['auto_nmi']['mean']:.3f} +- {q['auto_nmi']['sd']:.3f}; true k NMI "
          f"{q['true_nmi']['mean']:.3f} +- {q['true_nmi']['sd']:.3f}")
    print(f"  time {q['seconds']:.2f} s (CPU {q['cpu']:.2f} s), "
          f"peak memory {q['peak_mb']:.0f} MB")


def print_autok(rows, half):
    if half == "planted":
        print("\nAutomatic theme count on planted topics (benchmarks/planted.py: made-up words, "
              "separate groups, no development data)")
    else:
        where = "outside file" if half == OUTSIDE else f"{half} half"
        print(f"\nAutomatic theme count, {where}: answers of k randomly chosen human themes "
              f"(themes of at least {AUTOK_MIN_THEME} answers), seeds {list(AUTOK_SEEDS)}")
        print("  The data caps k at the themes that exist and the size at those themes' answers "
              "(a size larger than that prints the whole subset once, as 'all').")
    print("  target: " + TARGETS["autok"])
    print(f"  {'k':>3} {'kept':>4} {'size':>6} {'n':>5} {'seed':>4} {'k auto':>6} "
          f"{'NMI auto':>8} {'NMI true k':>10} {'ratio':>5} {'count x':>7} {'baseline':>8}")
    for r in rows:
        size = "all" if r["answers"] < r["size"] else str(r["size"])
        ratio = r["nmi_auto"] / max(r["nmi_true"], 1e-9)
        factor = max(r["k_auto"], r["k_true"]) / max(min(r["k_auto"], r["k_true"]), 1)
        print(f"  {r['k']:>3} {r['k_true']:>4} {size:>6} {r['answers']:>5} {r['seed']:>4} "
              f"{r['k_auto']:>6} {r['nmi_auto']:>8.3f} {r['nmi_true']:>10.3f} {ratio:>5.2f} "
              f"{factor:>7.2f} {r['nmi_baseline']:>8.3f}")
    ratios = [r["nmi_auto"] / max(r["nmi_true"], 1e-9) for r in rows]
    factors = [max(r["k_auto"], r["k_true"]) / max(min(r["k_auto"], r["k_true"]), 1)
               for r in rows]
    print(f"  ratio >= 0.95 in {sum(x >= 0.95 for x in ratios)}/{len(rows)} "
          f"(median {np.median(ratios):.2f}, worst {min(ratios):.2f}); count within x1.5 in "
          f"{sum(f <= 1.5 for f in factors)}/{len(rows)} (median x{np.median(factors):.2f}, "
          f"worst x{max(factors):.2f})")


def outside(path):
    """Quality and the automatic-count table on an outside labelled file: every row is scored,
    as no choice in the engine was made on it."""
    if not path.exists():
        raise SystemExit(f"data file not found: {path}")
    print(f"outside data: {path} (no choice in the engine was made on it; every row is scored)")
    print_quality(in_child("quality", path, half=OUTSIDE))
    print_autok(in_child("autok", path, half=OUTSIDE), OUTSIDE)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(DEFAULT_DATA), help="labelled CSV")
    parser.add_argument("--quality", action="store_true", help="both halves and the baselines")
    parser.add_argument("--autok", action="store_true", help="the automatic-count table")
    parser.add_argument("--sentiment", action="store_true")
    parser.add_argument("--stability", action="store_true")
    parser.add_argument("--redaction", action="store_true")
    parser.add_argument("--labels", action="store_true",
                        help="label quality on the demo and --halves, before (--labels-base) and now")
    parser.add_argument("--labels-base", default=None,
                        help="commit whose analysis/ gives the 'before' labels")
    parser.add_argument("--labels-seeds", default="0", help="seeds for --labels, e.g. 0,1")
    parser.add_argument("--scale", help="comma-separated sizes, e.g. 10000,100000,1000000")
    parser.add_argument("--one-process", action="store_true",
                        help="--scale without the helper process (ThemeModel(n_jobs=1))")
    parser.add_argument("--halves", default=",".join(HALVES),
                        help="halves for --quality and --autok (tuning,held-out)")
    parser.add_argument("--labelled", metavar="CSV",
                        help="outside labelled data (first column the text, second its code), "
                             "never used for a choice: quality and the automatic-count table on it")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--n-jobs", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--half", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    path = Path(args.data)
    if args.child:
        if args.child == "scale":
            result = scale(args.n, path, n_jobs=args.n_jobs)
        elif args.child in ("quality", "autok", "planted"):
            result = {"quality": quality, "autok": autok, "planted": planted}[args.child](
                path, args.half)
        else:
            parts = {"stability": stability, "redaction": redaction,
                     "sentiment": sentiment_accuracy}
            result = parts[args.child](path)
        print(json.dumps(result))
        return
    if args.labelled:
        outside(Path(args.labelled))
        return
    everything = not (args.quality or args.autok or args.sentiment or args.stability
                      or args.redaction or args.scale or args.labels)
    if not path.exists():
        raise SystemExit(f"data file not found: {path}")
    halves = [h for h in args.halves.split(",") if h]
    print(f"data: {path}")
    print("halves: by CRC-32 of Comment ID (benchmarks/devdata.py); choices since the split are made "
          "on the tuning half and the held-out half is only scored; the first wave's choices saw all "
          "the data (README-themes.md says which)")
    if args.sentiment or everything:
        r = in_child("sentiment", path)
        print("\nSentiment, three-way (1-2 positive, 3 mixed, 4-5 negative); model trained on the "
              "tuning half")
        for half in HALVES:
            print(f"  {half:>8} half ({r[half]['answers']} answers): model "
                  f"{r[half]['model']:.3f}, VADER alone {r[half]['vader']:.3f}")
        print(f"  target: {TARGETS['sentiment']}")
    if args.quality or everything:
        for half in halves:
            print_quality(in_child("quality", path, half=half))
    if args.autok or everything:
        for half in halves:
            print_autok(in_child("autok", path, half=half), half)
        print_autok(in_child("planted", path), "planted")
    if args.labels or everything:
        from benchmarks.labels import DEFAULT_BASE, report

        report(path, halves, base=args.labels_base or DEFAULT_BASE,
               seeds=tuple(int(x) for x in args.labels_seeds.split(",")))
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
            r = in_child("scale", path, n, n_jobs=1 if args.one_process else None)
            target = TARGETS.get(n, "")
            print(f"  {n:>9,} answers: {r['seconds']:7.1f} s (CPU {r['cpu']:.1f} s), peak memory "
                  f"{r['peak_mb']:6.0f} MB (input alone {r['data_mb']:.0f} MB; helper process "
                  f"{r['helper_mb']:.0f} MB), "
                  f"{r['themes']} themes   target: {target}")


if __name__ == "__main__":
    main()
