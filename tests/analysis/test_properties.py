"""Property-based tests: no input text crashes the pipeline, and results keep their shape."""

import json

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import ThemeModel, is_non_answer, redact
from analysis.normalise import match_key, normalise
from analysis.text import StemAnalyzer

WORDS = st.sampled_from(["wait", "staff", "kind", "parking", "app", "nothing", "n/a", "Dr",
                         "Smith", "07700", "900123", "NE1", "4LP", "not", "very", "😊", "",
                         "\u200b", "ünïcödé", "!!!", "-", "999", "x@y.com"])
SENTENCES = st.lists(WORDS, max_size=12).map(" ".join)
TEXTS = st.lists(st.one_of(st.text(max_size=60), SENTENCES), max_size=40)
FAST = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FAST
@given(st.text())
def test_text_steps_never_crash(text):
    assert isinstance(normalise(text), str)
    assert isinstance(match_key(text), str)
    assert isinstance(is_non_answer(text), bool)
    assert isinstance(redact(text), str)
    assert all(isinstance(f, str) for f in StemAnalyzer()(text))


@FAST
@given(TEXTS, st.one_of(st.none(), st.integers(1, 5)))
def test_no_input_crashes_the_model(texts, k):
    model = ThemeModel(n_themes=k, random_state=0).fit(texts)
    assert len(model.labels_) == len(texts)
    assert model.labels_.dtype.kind == "i"
    assert model.labels_.max(initial=-1) < max(len(model.themes_), 0) or not texts
    for text, label in zip(texts, model.labels_, strict=True):
        if is_non_answer(text):
            assert label == -1
    result = json.loads(json.dumps(model.to_dict()))
    assert len(result["assignments"]) == len(texts)
    predicted = model.predict(texts)
    assert len(predicted) == len(texts)
    assert np.all(predicted < max(len(model.themes_), 1))
    assert np.all(model.predict(texts, novelty=True) >= -2)
    assert result["sentiment"] == [None if is_non_answer(t) else result["sentiment"][i]
                                   for i, t in enumerate(texts)]
    loaded = ThemeModel.from_bytes(model.to_bytes())
    assert np.array_equal(loaded.predict(texts), model.labels_)


@FAST
@given(TEXTS)
def test_fit_is_deterministic(texts):
    a = ThemeModel(random_state=1).fit(texts).to_dict()
    b = ThemeModel(random_state=1).fit(texts).to_dict()
    assert a == b
