"""ThemeModel: the API the web app calls, determinism, stability, predict."""

import json

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.metrics import adjusted_rand_score, homogeneity_score

from analysis import Theme, ThemeModel
from analysis.evaluate import matched_themes, stay_together

from .conftest import make_corpus


def _agreement(texts_topics, labels):
    pairs = [(t, lab) for t, lab in zip(texts_topics, labels, strict=True) if t is not None]
    return adjusted_rand_score([p[0] for p in pairs], [p[1] for p in pairs])


def test_init_only_stores_parameters():
    model = ThemeModel(n_themes=3, random_state=1, min_theme_size=4, subthemes=False)
    assert model.get_params()["n_themes"] == 3
    assert not hasattr(model, "labels_")
    assert clone(model).get_params() == model.get_params()


def _purity(topics, labels):
    pairs = [(t, lab) for t, lab in zip(topics, labels, strict=True) if t is not None]
    return homogeneity_score([p[0] for p in pairs], [p[1] for p in pairs])


def test_fit_returns_self_and_finds_pure_themes(corpus, fitted):
    texts, topics, _, _ = corpus
    assert isinstance(fitted, ThemeModel)
    assert len(fitted.labels_) == len(texts)
    # A topic may be split in two, but a theme must not mix topics.
    assert _purity(topics, fitted.labels_) > 0.9
    assert 4 <= len(fitted.themes_) <= 12


def test_fixed_count_recovers_the_topics(corpus):
    texts, topics, _, _ = corpus
    model = ThemeModel(n_themes=4, random_state=0).fit(texts)
    assert _agreement(topics, model.labels_) > 0.8


def test_non_answers_get_no_theme(corpus, fitted):
    texts, topics, _, _ = corpus
    for text, topic, label in zip(texts, topics, fitted.labels_, strict=True):
        if topic is None:
            assert label == -1, text
        else:
            assert label >= 0, text


def test_themes_have_the_documented_fields(fitted):
    assert fitted.themes_
    sizes = np.bincount(fitted.labels_[fitted.labels_ >= 0])
    for theme in fitted.themes_:
        assert isinstance(theme, Theme)
        assert theme.label and theme.keywords
        assert theme.size == sizes[theme.id]
        assert 3 <= len(theme.quotes) <= 5
        assert len(set(theme.quotes)) == len(theme.quotes)
        assert -1 <= theme.sentiment <= 1
        assert sum(theme.by_position.values()) <= theme.size
        assert set(theme.by_segment) <= {"patient", "staff"}
    assert [t.size for t in fitted.themes_] == sorted((t.size for t in fitted.themes_),
                                                      reverse=True)


def test_keywords_name_the_topic(corpus, fitted):
    texts, topics, _, _ = corpus
    words = {"parking": "park", "waiting": "wait", "staff": "staff nurse", "app": "app"}
    for topic, word in words.items():
        labels = [lab for t, lab in zip(topics, fitted.labels_, strict=True) if t == topic]
        theme = fitted.themes_[np.bincount(labels).argmax()]
        assert any(w in k for w in word.split() for k in theme.keywords), theme.keywords


def test_breakdowns_count_segments_and_positions(corpus, fitted):
    texts, _, segments, positions = corpus
    for theme in fitted.themes_:
        members = np.flatnonzero(fitted.labels_ == theme.id)
        assert theme.by_segment.get("staff", 0) == sum(segments[i] == "staff" for i in members)
        assert theme.by_position.get(3, 0) == sum(positions[i] == 3 for i in members)


def test_same_seed_same_themes(corpus):
    texts = corpus[0]
    a = ThemeModel(random_state=3).fit(texts).to_dict()
    b = ThemeModel(random_state=3).fit(texts).to_dict()
    assert a == b


def test_fixed_number_of_themes(corpus):
    model = ThemeModel(n_themes=2, random_state=0).fit(corpus[0])
    assert len(model.themes_) == 2


def test_adding_ten_percent_keeps_themes_together():
    texts, _, _, _ = make_corpus(n_per_topic=40, seed=1)
    more, _, _, _ = make_corpus(n_per_topic=4, seed=2, non_answers=False)
    before = ThemeModel(random_state=0).fit(texts).labels_
    after = ThemeModel(random_state=0).fit(texts + more).labels_[: len(texts)]
    assert stay_together(before, after) > 0.8
    assert matched_themes(before, after) >= 0.75


def test_predict_places_new_answers(fitted):
    new = ["the car park was full again", "nurses were so kind and friendly", "n/a", ""]
    labels = fitted.predict(new)
    assert labels[2] == -1 and labels[3] == -1
    assert any("car" in k or "park" in k for k in fitted.themes_[labels[0]].keywords)
    assert any(w in k for w in ("kind", "nurse", "staff", "friendly")
               for k in fitted.themes_[labels[1]].keywords)
    sims = fitted.transform(new)
    assert sims.shape == (4, len(fitted.themes_))
    scores = fitted.predict_scores(new)
    assert scores[0] > 0.5 and scores[2] == 0


def test_predict_gives_back_the_fitted_themes(corpus, fitted):
    texts = corpus[0]
    assert (fitted.predict(texts) == fitted.labels_).all()
    scores = fitted.predict_scores(texts)
    assert np.allclose(scores, fitted.scores_, atol=1e-5)
    assert (fitted.scores_[fitted.labels_ < 0] == 0).all()
    assert (fitted.scores_[fitted.labels_ >= 0] > 0).all()


def test_progress_is_reported_in_order(corpus):
    calls = []
    ThemeModel(random_state=0).fit(corpus[0], progress=lambda s, f: calls.append((s, f)))
    fractions = [f for _, f in calls]
    assert fractions == sorted(fractions)
    assert calls[0][1] == 0.0 and calls[-1] == ("Done", 1.0)
    assert all(isinstance(s, str) for s, _ in calls)


def test_to_dict_is_json_with_one_assignment_per_text(corpus, fitted):
    result = json.loads(json.dumps(fitted.to_dict()))
    assert len(result["assignments"]) == len(corpus[0])
    assert {"id", "label", "keywords", "size", "quotes", "subthemes"} <= set(result["themes"][0])
    assert all(a is None or 0 <= a < len(result["themes"]) for a in result["assignments"])


def test_quotes_are_redacted():
    texts = [f"call me on 07700 900{i:03d}, the car park was full" for i in range(30)]
    texts += [f"the nurses were kind to me, email me at p{i}@example.com" for i in range(30)]
    model = ThemeModel(random_state=0).fit(texts)
    quotes = " ".join(q for t in model.themes_ for q in t.quotes)
    assert "07700" not in quotes and "@" not in quotes
    assert "[phone number]" in quotes


def test_broad_themes_get_subthemes():
    texts, _, _, _ = make_corpus(n_per_topic=60, seed=4, non_answers=False)
    model = ThemeModel(n_themes=1, random_state=0).fit(texts)
    theme = model.themes_[0]
    assert len(theme.subthemes) >= 2
    assert sum(s.size for s in theme.subthemes) == theme.size
    assert all(s.parent == 0 and s.keywords for s in theme.subthemes)
    assert ThemeModel(n_themes=1, subthemes=False, random_state=0).fit(texts).themes_[
        0].subthemes == []


def test_sampled_fit_assigns_everything():
    texts, topics, _, _ = make_corpus(n_per_topic=50, seed=5)
    model = ThemeModel(random_state=0, max_fit_samples=60, chunk_size=25).fit(texts)
    assert len(model.labels_) == len(texts)
    assert _purity(topics, model.labels_) > 0.8


@pytest.mark.parametrize("texts", [[], ["n/a", "nothing", ""], ["pain"], ["pain", "pain"],
                                   ["12345", "!!!", "????"]])
def test_degenerate_inputs(texts):
    model = ThemeModel(random_state=0).fit(texts)
    assert len(model.labels_) == len(texts)
    assert len(model.to_dict()["assignments"]) == len(texts)
    assert len(model.predict(["anything at all"])) == 1


def test_mismatched_metadata_is_an_error():
    with pytest.raises(ValueError, match="segments"):
        ThemeModel().fit(["a", "b"], segments=["x"])
    with pytest.raises(ValueError, match="n_themes"):
        ThemeModel(n_themes=0).fit(["a", "b"])
    with pytest.raises(TypeError, match="list"):
        ThemeModel().fit("one string")


def test_quotes_are_given_as_input_rows(corpus, fitted):
    from analysis.normalise import normalise

    texts = corpus[0]
    for theme in fitted.themes_:
        assert len(theme.quote_rows) == len(theme.quotes)
        for row, quote in zip(theme.quote_rows, theme.quotes, strict=True):
            assert normalise(texts[row]) == quote
            assert fitted.labels_[row] == theme.id
        for sub in theme.subthemes:
            assert all(fitted.labels_[r] == theme.id for r in sub.quote_rows)
    assert fitted.to_dict()["themes"][0]["quote_rows"] == fitted.themes_[0].quote_rows


def test_no_subtheme_repeats_a_label_of_the_run():
    # Every answer says "seeing the same doctor each time": the broad theme and its sub-themes
    # would all be labelled so (a split then made "… (2)").
    texts = ([f"Seeing the same doctor each time for my diabetes checks, visit {i}" for i in range(40)]
             + [f"Seeing the same doctor each time when my children are poorly, week {i}" for i in range(40)]
             + [f"Seeing the same doctor each time about my mental health, month {i}" for i in range(40)])
    model = ThemeModel(n_themes=1, random_state=0).fit(texts)
    labels = [t.label for t in model.themes_] + [s.label for t in model.themes_ for s in t.subthemes]
    assert len(model.themes_[0].subthemes) >= 2
    assert len({label.lower() for label in labels}) == len(labels), labels
