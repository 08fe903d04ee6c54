"""The helper process (analysis.sidecar): the same results as one process, and one process when
anything goes wrong."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from analysis import ThemeModel, sidecar
from analysis.safeguarding import mentions_safeguarding
from analysis.sentiment import sentiment_probabilities

from .conftest import make_corpus

#: The repository, so the helper imports this checkout's analysis package from any directory.
ROOT = Path(__file__).resolve().parents[2]

# A disclosure and an emoji among the answers, so every part of the helper's work shows.
EXTRA = ["My husband hits me and I want to die", "Lovely staff \U0001F600", "Café was closed",
         "Nurse Jane Smith was kind", None, "A lone \ud800 surrogate, a NUL \x00 and \u2028 a break",
         'Quotes "and" back\\slashes', "Mae parcio yn yr ysbyty yn ofnadwy, dim lle o gwbl"]


def outputs(model):
    arrays = ("labels_", "sublabels_", "scores_", "sentiment_", "sentiment_class_", "safeguarding_",
              "non_answer_", "centres_")
    return ({name: np.asarray(getattr(model, name)) for name in arrays},
            [t.to_dict() for t in model.themes_], model.to_dict())


def assert_same(a, b):
    assert a[0].keys() == b[0].keys()
    for name in a[0]:
        assert np.array_equal(a[0][name], b[0][name], equal_nan=True), name
    assert a[1] == b[1]
    assert a[2] == b[2]


@pytest.fixture()
def texts():
    return make_corpus(n_per_topic=30, seed=3)[0] + EXTRA


@pytest.fixture()
def helper_always(monkeypatch):
    """A helper for any input size, even on a one-core machine; counts helpers started."""
    started = []
    start = sidecar.Sidecar.start.__func__

    def counting(cls, n_texts, n_jobs=None):
        helper = start(cls, n_texts, n_jobs)
        started.append(helper is not None)
        return helper

    monkeypatch.setattr(sidecar, "MIN_TEXTS", 1)
    monkeypatch.setattr(sidecar, "cores", lambda: 2)
    monkeypatch.setattr(sidecar.Sidecar, "start", classmethod(counting))
    return started


def test_a_fit_with_a_helper_equals_a_fit_in_one_process(texts, helper_always):
    alone = outputs(ThemeModel(random_state=0, n_jobs=1).fit(texts))
    assert helper_always == [False]
    helped = outputs(ThemeModel(random_state=0).fit(texts))
    assert helper_always == [False, True]
    assert_same(alone, helped)
    assert helped[0]["safeguarding_"].sum() == 1
    # The helper scores sentiment now: the answer in Welsh gets none (NaN), the others one each.
    scored = ~np.isnan(helped[0]["sentiment_"][:-1])
    assert np.isnan(helped[0]["sentiment_"][-1]) and scored[~helped[0]["non_answer_"][:-1]].all()


def test_a_failed_helper_leaves_the_work_to_the_fit(texts, helper_always, monkeypatch, caplog):
    alone = outputs(ThemeModel(random_state=0, n_jobs=1).fit(texts))
    monkeypatch.setattr(sidecar, "_CODE", "import sys; sys.stdin.read(); sys.exit(3)")
    helped = outputs(ThemeModel(random_state=0).fit(texts))
    assert helper_always[-1] is True
    assert "helper process failed" in caplog.text
    assert_same(alone, helped)


def test_a_helper_answering_nonsense_is_ignored(texts, helper_always, monkeypatch, caplog):
    alone = outputs(ThemeModel(random_state=0, n_jobs=1).fit(texts))
    monkeypatch.setattr(sidecar, "_CODE", "import sys; sys.stdin.read(); sys.stdout.write('nonsense')")
    helped = outputs(ThemeModel(random_state=0).fit(texts))
    assert "unreadable answer" in caplog.text
    assert_same(alone, helped)


def test_a_helper_that_cannot_start_leaves_the_work_to_the_fit(texts, helper_always, monkeypatch):
    alone = outputs(ThemeModel(random_state=0, n_jobs=1).fit(texts))
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")
    helped = outputs(ThemeModel(random_state=0).fit(texts))
    assert helper_always[-1] is False
    assert_same(alone, helped)


def test_no_helper_for_small_inputs_one_job_or_one_core(monkeypatch):
    assert sidecar.Sidecar.start(sidecar.MIN_TEXTS - 1) is None
    assert sidecar.Sidecar.start(sidecar.MIN_TEXTS, n_jobs=1) is None
    monkeypatch.setattr(sidecar, "cores", lambda: 1)
    assert sidecar.Sidecar.start(sidecar.MIN_TEXTS) is None


def test_the_helpers_work_is_the_functions_it_stands_for(texts):
    texts = ["" if t is None else t for t in texts]
    done = sidecar.work(texts, texts[:-2])
    assert done["safeguarding"].tolist() == [mentions_safeguarding(t) for t in texts]
    assert np.array_equal(done["sentiment"], sentiment_probabilities(texts[:-2]), equal_nan=True)


def test_the_helper_loads_no_scikit_learn_nor_nltk():
    """It starts while the fit redacts; scikit-learn alone took it half a second to import."""
    code = (f"import sys, atexit; sys.path.insert(0, {str(ROOT)!r}); "
            "atexit.register(lambda: sys.stderr.write(repr(sorted({m.split('.')[0] for m in sys.modules} "
            "& {'sklearn', 'nltk'})))); from analysis.sidecar import main; main()")
    done = subprocess.run([sys.executable, "-c", code], input=b'[["I feel unsafe"], ["Too slow"]]',
                          capture_output=True, check=True)
    with np.load(io.BytesIO(done.stdout), allow_pickle=False) as found:
        assert found["sentiment"].shape == (1, 3) and found["safeguarding"].shape == (1,)
    assert done.stderr.decode().strip().endswith("[]")


@pytest.mark.parametrize("code", ["import sys; sys.exit(3)", "import time; time.sleep(60)"],
                         ids=["dies-at-once", "hangs"])
def test_a_helper_that_dies_or_hangs_leaves_the_work_to_the_fit(texts, helper_always, monkeypatch,
                                                                  caplog, code):
    alone = outputs(ThemeModel(random_state=0, n_jobs=1).fit(texts))
    monkeypatch.setattr(sidecar, "_CODE", code)
    monkeypatch.setattr(sidecar, "TIMEOUT", 1)
    helped = outputs(ThemeModel(random_state=0).fit(texts))
    assert helper_always[-1] is True
    assert "helper process failed" in caplog.text
    assert_same(alone, helped)
