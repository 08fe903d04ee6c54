"""One model, kept: persisted and loaded, it places answers as the run did; reading it never
changes it; answers that fit no theme are told apart."""

import io
import json
from pathlib import Path

import numpy as np
import pytest

from analysis import ThemeModel
from analysis.model import FITS_NO_THEME, NO_THEME

from .conftest import make_corpus


def test_a_loaded_model_places_the_runs_answers_in_the_same_themes(corpus, fitted):
    texts = corpus[0]
    loaded = ThemeModel.from_bytes(fitted.to_bytes())
    assert np.array_equal(loaded.predict(texts), fitted.labels_)
    assert np.array_equal(loaded.predict_subthemes(texts), fitted.sublabels_)
    assert np.allclose(loaded.transform(texts), fitted.transform(texts), atol=1e-5)
    assert loaded.threshold_ == fitted.threshold_


def test_lsa_model_round_trips_too(corpus):
    texts = corpus[0]
    model = ThemeModel(random_state=0, vectors="lsa").fit(texts)
    loaded = ThemeModel.from_bytes(model.to_bytes())
    assert np.array_equal(loaded.predict(texts), model.labels_)


def test_predicting_the_fitted_texts_gives_their_subthemes():
    texts = make_corpus(n_per_topic=120, seed=4)[0]
    model = ThemeModel(random_state=0, n_themes=2).fit(texts)
    assert model.subcentres_, "a broad theme of two topics should have sub-themes"
    assert np.array_equal(model.predict_subthemes(texts), model.sublabels_)
    assert (model.sublabels_[model.labels_ >= 0] >= 0).any()


def test_transform_and_predict_leave_the_model_unchanged(corpus, fitted):
    before = fitted.to_bytes()
    surface = {k: dict(v) for k, v in fitted.vectoriser_.analyzer_._surface.items()}
    params = fitted.get_params()
    fitted.transform(["Unheard-of words: zebra crossing, quokka, xylophone"])
    fitted.predict(["the car park was full", "brand new topic of kangaroos"], novelty=True)
    fitted.predict_subthemes(corpus[0][:20])
    fitted.predict_scores(["nurses were lovely"])
    fitted.answer_vectors(["the car park was full", "n/a", "nurses were lovely"])
    assert fitted.to_bytes() == before
    assert {k: dict(v) for k, v in fitted.vectoriser_.analyzer_._surface.items()} == surface
    assert fitted.get_params() == params


def test_novelty_marks_answers_that_fit_no_theme(corpus, fitted):
    texts = corpus[0]
    labels = fitted.predict(["the car park was full again", "n/a",
                             "zebra quokka kangaroo wombat"], novelty=True)
    assert labels[0] >= 0
    assert labels[1] == NO_THEME
    assert labels[2] in (NO_THEME, FITS_NO_THEME)  # no known word, or far from every theme
    # Of the fitted answers, about the least typical 5% fit no theme.
    placed = [t for t, lab in zip(texts, fitted.labels_, strict=True) if lab >= 0]
    assert np.mean(fitted.predict(placed, novelty=True) == FITS_NO_THEME) <= 0.1


def test_a_model_from_another_format_is_refused(fitted):
    with np.load(io.BytesIO(fitted.to_bytes()), allow_pickle=False) as f:
        arrays = {n: f[n] for n in f.files}
    arrays["meta"] = np.array(json.dumps({**json.loads(str(arrays["meta"])), "format": 99}))
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    with pytest.raises(ValueError, match="another version"):
        ThemeModel.from_bytes(buffer.getvalue())


def test_the_kept_model_holds_no_word_of_the_answers(corpus, fitted):
    """Erasure: the stored model has numbers and hashes only; no answer's word can be read
    back from it (a name the redaction missed would otherwise sit in the vocabulary)."""
    data = fitted.to_bytes()
    with np.load(io.BytesIO(data), allow_pickle=False) as f:
        text = " ".join(str(f[name]) for name in f.files
                        if f[name].dtype.kind in "US" and name != "meta").lower()
        meta = json.loads(str(f["meta"]))
    # Besides arrays, only the model's settings: nothing learnt from the answers.
    assert set(meta) <= {"format", "params", "subthemes", "kind", "has_tfidf", "ngram_range",
                         "lsa_weight", "pretrained_weight"}
    words = {w for t in corpus[0] for w in t.lower().replace(".", " ").split() if len(w) >= 4}
    assert words and not {w for w in words if w in text}
    loaded = ThemeModel.from_bytes(data)
    assert np.array_equal(loaded.predict(corpus[0]), fitted.labels_)


def test_forgetting_takes_out_the_terms_only_the_gone_answers_used():
    """Withdrawal: a word two answers alone used (so the model learnt it) leaves the model when
    they go, with what was learnt for it; the answers left are placed exactly as before."""
    from analysis.persist import forget_terms, term_key
    from analysis.text import StemAnalyzer

    texts = make_corpus(seed=3)[0]
    gone = ["The parking zorblax was broken again", "Zorblax parking took an hour"]
    model = ThemeModel(random_state=0).fit(texts + gone)
    keys = {term_key(t) for t in StemAnalyzer(track_surface=False)("zorblax")}
    assert keys and keys <= set(_stored(model.to_bytes())["vocabulary"])  # it learnt the word

    data, dropped = forget_terms(model.to_bytes(), texts)
    stored = _stored(data)
    assert dropped >= 1 and not keys & set(stored["vocabulary"])
    assert not {str(k) for k in stored["vocabulary"] if not str(k).startswith("-")} - {
        term_key(t) for text in texts for t in StemAnalyzer(track_surface=False)(text)}
    columns = [j for j, k in enumerate(stored["vocabulary"]) if str(k).startswith("-")]
    assert not stored["svd"][:, columns].any()  # nothing learnt for them alone is kept
    assert len(stored["vocabulary"]) == len(_stored(model.to_bytes())["vocabulary"])
    loaded = ThemeModel.from_bytes(data)
    assert np.array_equal(loaded.predict(texts), model.labels_[:len(texts)])
    assert np.allclose(loaded.transform(texts), model.transform(texts), atol=1e-5)
    # With nothing to drop the model is given back as it was.
    assert forget_terms(data, texts) == (data, 0)


def _stored(data: bytes) -> dict:
    with np.load(io.BytesIO(data), allow_pickle=False) as f:
        return {name: f[name] for name in f.files}


def test_a_model_kept_before_the_pretrained_vectors_places_answers_as_it_did():
    """A run's model kept by the release before (its answer vectors had no pretrained part)
    still places new answers after an upgrade, exactly as it did then: "Add new answers" on an
    earlier run keeps working. The file is ``ThemeModel(random_state=0)`` fitted on
    ``make_corpus(n_per_topic=30, seed=5)`` by that release; the labels are what it predicted."""
    data = (Path(__file__).parent.parent / "data" / "theme_model_before_pretrained.npz").read_bytes()
    model = ThemeModel.from_bytes(data)
    later = make_corpus(n_per_topic=10, seed=6)[0]
    assert model.predict(later).tolist() == [
        3, 3, 1, 3, 2, -1, 3, 0, 0, -1, 0, 3, 3, 2, 1, 3, 2, -1, -1, 1, 1, -1, 2, 0, 0, 3, 0, -1, 0,
        2, 1, 2, 0, -1, 1, 1, 3, 2, 1, 2, 0, 2, 3, 1, 2, 1, 0]
