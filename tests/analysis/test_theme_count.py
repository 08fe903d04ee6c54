"""The number of themes is found in the data: planted topics give their own count back, and a
continuum (no groups) is left to the size limits, which a facilitator can override."""

import numpy as np
import pytest

from analysis import ThemeModel
from analysis.evaluate import agreement
from benchmarks.planted import planted_topics


@pytest.mark.parametrize("k, n", [(5, 300), (10, 300), (20, 1000), (60, 1000)])
def test_the_planted_count_is_found(k, n):
    texts, topics = planted_topics(k, n, seed=k)
    model = ThemeModel(random_state=0, subthemes=False).fit(texts)
    found = len(model.themes_)
    assert max(found, k) / min(found, k) <= 1.5
    given = ThemeModel(random_state=0, subthemes=False, n_themes=k).fit(texts)
    assert agreement(topics, model.labels_)["nmi"] >= 0.95 * agreement(topics, given.labels_)["nmi"]


def test_more_themes_than_the_old_size_rule_allowed():
    # Twenty separate topics in 300 answers: the square-root rule allowed at most 12.
    texts, _ = planted_topics(20, 300, seed=3)
    assert len(ThemeModel(random_state=0, subthemes=False).fit(texts).themes_) >= 14


def test_a_continuum_is_cut_by_the_size_limits_and_the_count_can_be_fixed():
    rng = np.random.RandomState(0)
    words = [f"w{chr(97 + i // 26)}{chr(97 + i % 26)}x" for i in range(400)]
    # Every answer draws words from one long shared vocabulary: no groups at all.
    texts = [" ".join(rng.choice(words, 6)) for _ in range(800)]
    model = ThemeModel(random_state=0, subthemes=False).fit(texts)
    assert 2 <= len(model.themes_) <= int(np.sqrt(800 / 2))
    assert len(ThemeModel(random_state=0, subthemes=False, n_themes=7).fit(texts).themes_) == 7
