"""Theme-count criteria tried for issue #11 on the tuning half's auto-k subsets (none was kept).

    .venv/bin/python benchmarks/count_criteria.py            # tuning half (about 2 minutes)
    .venv/bin/python benchmarks/count_criteria.py --only "L-method;vMF BIC"

Each criterion reads the count from what the engine's own count choice sees: the answer vectors
of the Ward sample and Ward's tree on them (captured from ``SphericalKMeans._choose_k`` during a
real ``ThemeModel.fit``), plus the sample's TF-IDF terms for the word-based criteria.  The
engine is then fitted again with that count in place of its own choice (small themes are still
dissolved, as for an automatic count), and scored as ``benchmarks/themes.py --autok`` scores
it: count within x1.5 of the human count, NMI >= 0.95 x NMI given the human count.
README-themes.md ("Other count criteria were tried") gives the figures.  The constants are the
published ones (alpha 0.01, Tibshirani and Walther's 0.8, ten neighbours, seven for the local
scale), not tuned here.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage, to_tree
from scipy.sparse.csgraph import laplacian
from scipy.spatial.distance import pdist
from scipy.special import ive
from scipy.stats import hypergeom

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis import ThemeModel, cluster  # noqa: E402
from analysis.cluster import candidate_counts  # noqa: E402
from analysis.evaluate import agreement  # noqa: E402
from analysis.vectorise import WordVectoriser  # noqa: E402
from benchmarks.devdata import DEFAULT_DATA, coded_answers  # noqa: E402
from benchmarks.themes import autok_subsets  # noqa: E402


@contextlib.contextmanager
def watching(seen: dict, count=None):
    """Record what the count choice sees during a fit; with ``count``, impose that count."""
    choose, sample, both = (cluster.SphericalKMeans._choose_k, cluster.SphericalKMeans._sample,
                            WordVectoriser.fit_transform_both)

    def fit_transform_both(self, texts):
        X, tfidf = both(self, texts)
        seen.update(X=X, tfidf=tfidf)
        return X, tfidf

    def take_sample(self, X, weight, seed, key):
        rows = sample(self, X, weight, seed, key)
        seen.update(sample=rows, weight=weight[rows])
        return rows

    def choose_k(self, Xs, tree, n_distinct, total):
        k = choose(self, Xs, tree, n_distinct, total)
        grid = candidate_counts(total, self.min_size, 2 * self.max_clusters, n_distinct)
        grid = sorted(set(grid) | ({self.max_clusters} if self.max_clusters < max(grid) else set()))
        seen.update(Xs=Xs, tree=tree, n_engine=k, upper=max(candidate_counts(
            total, self.min_size, self.max_clusters, n_distinct)), min_size=self.min_size,
            grid=grid, n_size=int(min(self.continuum_clusters or self.max_clusters,
                                      self.max_clusters, max(grid))))
        if count is not None:
            self.criterion_ = "imposed"
            return count
        return k

    cluster.SphericalKMeans._choose_k = choose_k
    cluster.SphericalKMeans._sample = take_sample
    WordVectoriser.fit_transform_both = fit_transform_both
    try:
        yield seen
    finally:
        cluster.SphericalKMeans._choose_k = choose
        cluster.SphericalKMeans._sample = sample
        WordVectoriser.fit_transform_both = both


# --- the criteria: each takes the captured view and returns a count -------------------------

def l_method(view, min_cutoff=20):
    """Salvador and Chan (2004): the knee of the merge-height curve, where two straight lines
    fit it best, with their iterative refinement of the cutoff (2 x the knee, at least 20)."""
    heights = view["tree"][::-1, 2]          # heights[i]: the merge from i + 2 to i + 1 groups
    x_all = np.arange(2, len(heights) + 2, dtype=float)
    cutoff, last = len(x_all), None
    while True:
        x, y = x_all[:cutoff], heights[:cutoff]
        best, knee = np.inf, None
        for c in range(2, len(x) - 1):
            err = 0.0
            for xs, ys in ((x[:c], y[:c]), (x[c:], y[c:])):
                fit = np.polyval(np.polyfit(xs, ys, 1), xs)
                err += len(xs) / len(x) * np.sqrt(np.mean((fit - ys) ** 2))
            if err < best:
                best, knee = err, int(x[c - 1])
        if knee is None:
            return 2
        if last is not None and knee >= last:
            knee = last
            break
        last, new_cutoff = knee, max(2 * knee, min_cutoff)
        if new_cutoff >= cutoff:
            break
        cutoff = new_cutoff
    return min(knee, view["upper"])


def eigengap(view, n_neighbors=10, self_tuning=False):
    """The largest gap between successive eigenvalues of the normalised Laplacian of a
    symmetric cosine kNN graph (von Luxburg 2007); with ``self_tuning``, Gaussian weights
    scaled by each answer's distance to its 7th neighbour (Zelnik-Manor and Perona 2004)."""
    X = view["Xs"].astype(np.float64)
    n, kmax = len(X), view["upper"]
    sim = X @ X.T
    np.fill_diagonal(sim, -np.inf)
    near = np.argsort(-sim, axis=1)[:, :n_neighbors]
    rows, cols = np.repeat(np.arange(n), n_neighbors), near.ravel()
    if self_tuning:
        dist = np.clip(1 - sim, 0, 2)
        np.fill_diagonal(dist, 0)
        scale = np.sqrt(np.sort(dist, axis=1)[:, min(7, n - 1)]) + 1e-9
        w = np.exp(-dist[rows, cols] / (scale[rows] * scale[cols]))
    else:
        w = np.clip(sim[rows, cols], 1e-6, None)
    W = sparse.csr_matrix((w, (rows, cols)), shape=(n, n))
    values = np.linalg.eigvalsh(laplacian(W.maximum(W.T), normed=True).toarray())
    gaps = np.diff(values[:kmax + 1])        # gaps[i]: between i + 1 and i + 2 groups
    return int(np.argmax(gaps[1:kmax]) + 2)


def _vmf_loglik(X, labels, weight):
    d = X.shape[1]
    total, ll = weight.sum(), 0.0
    for c in np.unique(labels):
        w = weight[labels == c]
        s = (X[labels == c] * w[:, None]).sum(0)
        n, r = w.sum(), min(np.linalg.norm(s) / w.sum(), 1 - 1e-9)
        kappa = r * (d - r * r) / (1 - r * r)   # Banerjee et al. (2005)
        log_norm = ((d / 2 - 1) * np.log(kappa) - (d / 2) * np.log(2 * np.pi)
                    - (np.log(ive(d / 2 - 1, kappa)) + kappa))
        ll += n * log_norm + kappa * np.linalg.norm(s) + n * np.log(n / total)
    return ll


def vmf_information(view, penalty="bic"):
    """A mixture of von Mises-Fisher distributions on each cut of Ward's tree (one mean
    direction, concentration and weight per theme); the count with the lowest BIC (or AIC)."""
    X, w = view["Xs"].astype(np.float64), view["weight"]
    d, n = X.shape[1], w.sum()
    scores = {}
    for k in range(1, view["upper"] + 1):
        p = k * d + (k - 1)
        scores[k] = (-2 * _vmf_loglik(X, fcluster(view["tree"], k, "maxclust"), w)
                     + (p * np.log(n) if penalty == "bic" else 2 * p))
    return min(scores, key=scores.get)


def gaussian_bic(view):
    """X-means' BIC (Pelleg and Moore 2000): spherical Gaussians with one shared variance."""
    X = view["Xs"].astype(np.float64)
    n, d = X.shape
    scores = {}
    for k in range(1, view["upper"] + 1):
        labels = fcluster(view["tree"], k, "maxclust")
        sizes = np.bincount(labels)[1:]
        sizes = sizes[sizes > 0]
        ss = sum(((X[labels == c] - X[labels == c].mean(0)) ** 2).sum() for c in np.unique(labels))
        var = ss / (d * max(n - k, 1))
        ll = ((sizes * np.log(sizes / n)).sum() - n * d / 2 * np.log(2 * np.pi * var)
              - d * (n - k) / 2)
        scores[k] = -2 * ll + k * (d + 1) * np.log(n)
    return min(scores, key=scores.get)


def internal_index(view, which):
    """Calinski-Harabasz (highest) or Davies-Bouldin (lowest) over the cuts of Ward's tree."""
    from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score

    score = calinski_harabasz_score if which == "ch" else davies_bouldin_score
    scores = {k: score(view["Xs"], fcluster(view["tree"], k, "maxclust"))
              for k in range(2, view["upper"] + 1)}
    return (max if which == "ch" else min)(scores, key=scores.get)


def _presence(view):
    return (view["tfidf"] > 0).astype(np.float64).tocsr()


def word_split(view, test="significant", both=True, alpha=0.01, share=0.5, lift=2.0):
    """Top down on Ward's tree: a group is split when its two halves each (``both``) or one of
    them have a word of their own, against the sibling half.  "significant": a hypergeometric
    over-representation, Bonferroni over the words present (alpha 0.01); "effect": a word that
    half the answers use, twice as common as in the sibling.  A half smaller than the smallest
    theme is stray answers: look inside the other half."""
    P, w = _presence(view), view["weight"]

    def own_word(a, b):
        ca, cb = np.asarray(P[a].T @ w[a]).ravel(), np.asarray(P[b].T @ w[b]).ravel()
        if test == "effect":
            ra, rb = ca / w[a].sum(), cb / w[b].sum()
            return bool(((ra >= share) & (ra >= lift * rb)).any())
        present = (ca + cb) > 0
        p = hypergeom.sf(np.round(ca[present]) - 1, round(w[a].sum() + w[b].sum()),
                         np.round(ca + cb)[present], round(w[a].sum()))
        return p.min() * present.sum() < alpha

    count, stack = 1, [to_tree(view["tree"])]
    while stack:
        node = stack.pop()
        if node.is_leaf():
            continue
        a, b = np.array(node.left.pre_order()), np.array(node.right.pre_order())
        wa, wb = w[a].sum(), w[b].sum()
        if max(wa, wb) < view["min_size"]:
            continue
        if min(wa, wb) < view["min_size"]:
            stack.append(node.left if wa >= wb else node.right)
            continue
        split = own_word(a, b) and own_word(b, a) if both else own_word(a, b) or own_word(b, a)
        if split:
            count += 1
            stack += [node.left, node.right]
    return min(count, view["upper"])


def theme_share(view, share=0.5, lift=2.0):
    """The largest cut of Ward's tree at which most groups are themes: at least the smallest
    theme's size, with a word that half their answers use, twice as common as elsewhere."""
    P, w = _presence(view), view["weight"]
    everywhere, total = np.asarray(P.T @ w).ravel(), w.sum()
    best = 1
    for k in range(2, view["upper"] + 1):
        labels = fcluster(view["tree"], k, "maxclust")
        themes = 0
        for c in np.unique(labels):
            inside = labels == c
            size = w[inside].sum()
            if size < view["min_size"] or size >= total:
                continue
            here = np.asarray(P[inside].T @ w[inside]).ravel()
            rate, elsewhere = here / size, (everywhere - here) / (total - size)
            themes += bool(((rate >= share) & (rate >= lift * elsewhere)).any())
        if 2 * themes >= len(np.unique(labels)):
            best = k
    return best


def prediction_strength(view, reduce=np.min, threshold=0.8, repeats=2, seed=0):
    """Tibshirani and Walther (2005): Ward on two random halves; for each group of one half,
    the share of its pairs the other half's centres also put together; the strength is the
    smallest (or median) share, and the count the largest whose strength is at least 0.8."""
    X = view["Xs"].astype(np.float64)
    rng = np.random.RandomState(seed)
    strength = {k: [] for k in range(2, view["upper"] + 1)}
    for _ in range(repeats):
        order = rng.permutation(len(X))
        train, test = X[order[:len(X) // 2]], X[order[len(X) // 2:]]
        train_tree, test_tree = linkage(pdist(train), "ward"), linkage(pdist(test), "ward")
        for k in strength:
            if k >= len(test) // 2:
                continue
            train_labels = fcluster(train_tree, k, "maxclust") - 1
            centres = np.zeros((train_labels.max() + 1, X.shape[1]))
            np.add.at(centres, train_labels, train)
            centres /= np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-12)
            placed = np.argmax(test @ centres.T, axis=1)
            test_labels = fcluster(test_tree, k, "maxclust")
            shares = []
            for c in np.unique(test_labels):
                together = np.bincount(placed[test_labels == c])
                n = together.sum()
                if n >= 2:
                    shares.append((together * (together - 1)).sum() / (n * (n - 1)))
            strength[k].append(reduce(shares))
    good = [k for k, v in strength.items() if v and np.mean(v) >= threshold]
    return max(good) if good else 1


def _silhouettes(view):
    """The engine's own silhouette per candidate count (its grid, on its Ward sample)."""
    from sklearn.metrics import silhouette_score

    Xs, tree = view["Xs"], view["tree"]
    distances = np.clip(1.0 - Xs @ Xs.T, 0.0, 2.0)
    np.fill_diagonal(distances, 0.0)
    scores = {}
    for k in view["grid"]:
        labels = fcluster(tree, k, criterion="maxclust")
        if 2 <= len(np.unique(labels)) < len(Xs):
            scores[k] = float(silhouette_score(distances, labels, metric="precomputed"))
    return scores


def first_peak(view, margin=0.005, floor=0.1):
    """The first count whose silhouette the next count tried does not reach (a local peak,
    with the engine's own margin and floor); none: the engine's size rule."""
    scores = _silhouettes(view)
    counts = sorted(scores)
    for here, after in zip(counts, counts[1:], strict=False):
        if scores[here] >= floor and scores[after] < scores[here] - margin:
            return here
    return view["n_size"]


CRITERIA = {
    "first silhouette peak": first_peak,
    "L-method": l_method,
    "eigengap, cosine kNN": eigengap,
    "eigengap, self-tuning": lambda v: eigengap(v, self_tuning=True),
    "vMF mixture, BIC": vmf_information,
    "vMF mixture, AIC": lambda v: vmf_information(v, "aic"),
    "Gaussian BIC (X-means)": gaussian_bic,
    "Calinski-Harabasz": lambda v: internal_index(v, "ch"),
    "Davies-Bouldin": lambda v: internal_index(v, "db"),
    "own word, both halves": word_split,
    "own word, either half": lambda v: word_split(v, both=False),
    "own word (effect), both": lambda v: word_split(v, test="effect"),
    "own word (effect), either": lambda v: word_split(v, test="effect", both=False),
    "most groups are themes": theme_share,
    "prediction strength": prediction_strength,
    "prediction strength, median": lambda v: prediction_strength(v, reduce=np.median),
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    parser.add_argument("--half", default="tuning",
                        help="tuning (default); held-out only to score a criterion already kept; "
                             "'outside' reads --data as text,code rows")
    parser.add_argument("--only", help="criteria to run, separated by ';'")
    args = parser.parse_args(argv)
    texts, codes = coded_answers(args.data, args.half)
    subsets = []
    for _, k_true, _, seed, sub_texts, sub_codes in autok_subsets(texts, codes):
        view = {}
        with watching(view):
            auto = ThemeModel(random_state=seed, subthemes=False).fit(sub_texts)
        has_words = np.abs(view["X"]).sum(axis=1) > 0
        view["tfidf"] = view["tfidf"][np.flatnonzero(has_words)[view["sample"]]]
        fixed = ThemeModel(random_state=seed, n_themes=k_true, subthemes=False).fit(sub_texts)
        subsets.append((k_true, seed, sub_texts, sub_codes, view,
                        agreement(sub_codes, fixed.labels_)["nmi"],
                        (len(auto.themes_), agreement(sub_codes, auto.labels_)["nmi"])))
    wanted = args.only.split(";") if args.only else None
    print(f"{args.half} half, {len(subsets)} auto-k subsets; count within x1.5 / NMI ratio >= 0.95")
    for name, criterion in [("engine (today)", None), *CRITERIA.items()]:
        if wanted and name not in wanted and criterion is not None:
            continue
        start, found = time.perf_counter(), []
        for k_true, seed, sub_texts, sub_codes, view, nmi_true, engine in subsets:
            if criterion is None:
                k, (themes, nmi) = view["n_engine"], engine
            else:
                k = int(criterion(view))
                with watching({}, count=k):
                    model = ThemeModel(random_state=seed, subthemes=False).fit(sub_texts)
                themes, nmi = len(model.themes_), agreement(sub_codes, model.labels_)["nmi"]
            found.append((k_true, themes, nmi / nmi_true))
        factors = [max(t, k) / max(min(t, k), 1) for k, t, _ in found]
        ranges = {}
        for k_true, themes, _ in found:
            ranges.setdefault(5 if k_true <= 5 else 10 if k_true <= 10 else 20, []).append(themes)
        print(f"  {name:28s} {sum(f <= 1.5 for f in factors):>2}/{len(found)}  "
              f"{sum(r >= 0.95 for _, _, r in found):>2}/{len(found)}  "
              f"(worst ratio {min(r for _, _, r in found):.2f}; themes for 5 / 10 / 19-23 human "
              + " / ".join(f"{min(v)}-{max(v)}" for _, v in sorted(ranges.items()))
              + f"; {time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
