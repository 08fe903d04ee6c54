"""Sentiment: the shipped model, its file, scores, classes and shares, in the model and CLI."""

import json

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import is_non_answer
from analysis.sentiment import (
    CLASSES,
    MODEL_FILE,
    SentimentModel,
    sentiment_classes,
    sentiment_probabilities,
    sentiment_scores,
    shares,
    shipped_model,
)


def test_the_model_ships_as_plain_arrays_and_loads_without_pickle():
    assert MODEL_FILE.exists()
    with np.load(MODEL_FILE, allow_pickle=False) as f:
        assert {"word_vocabulary", "char_vocabulary", "coef", "intercept"} <= set(f.files)
        assert f["coef"].shape[0] == len(CLASSES)
    assert shipped_model() is not None
    assert (MODEL_FILE.parent / "README.md").read_text().count("MIT") >= 1


def test_complaints_read_as_negative_and_praise_as_positive():
    texts = ["The waiting time was too long", "Staff were rude and I was ignored",
             "The staff were lovely, kind and caring", "Excellent service, thank you"]
    classes, scores = sentiment_classes(texts), sentiment_scores(texts)
    assert "positive" not in classes[:2] and all(scores[:2] < 0)  # VADER called these positive
    assert classes[2:] == ["positive", "positive"] and all(scores[2:] > 0.5)


def test_scores_are_in_range_and_ordered():
    scores = sentiment_scores(["Awful, rude and dismissive staff", "It was ok", "Brilliant care",
                               "", None])
    assert np.all((scores >= -1) & (scores <= 1))
    assert scores[0] < scores[1] < scores[2]
    assert scores[3] == 0 and scores[4] == 0


def test_probabilities_sum_to_one():
    probs = sentiment_probabilities(["good", "bad", "", "🙂"])
    assert probs.shape == (4, 3)
    assert np.allclose(probs.sum(axis=1), 1)


def test_model_round_trips_through_its_file(tmp_path):
    texts = ["great staff", "lovely nurses", "awful wait", "rude and slow", "ok I suppose",
             "fine but parking bad"] * 3
    classes = ["positive", "positive", "negative", "negative", "mixed", "mixed"] * 3
    model = SentimentModel.fit(texts, classes, min_df=1)
    model.save(tmp_path / "m.npz")
    again = SentimentModel.load(tmp_path / "m.npz")
    assert np.allclose(model.probabilities(texts), again.probabilities(texts), atol=1e-5)


def test_shares_count_each_class():
    assert shares([0, 2, 2, 1]) == {"positive": 0.5, "mixed": 0.25, "negative": 0.25}
    assert shares([]) == {"positive": 0.0, "mixed": 0.0, "negative": 0.0}


def test_themes_report_shares_and_rows_report_scores(fitted, corpus):
    texts = corpus[0]
    for theme in fitted.themes_:
        assert set(theme.sentiment_shares) == {"positive", "mixed", "negative"}
        assert abs(sum(theme.sentiment_shares.values()) - 1) < 1e-3
    result = fitted.to_dict()
    assert len(result["sentiment"]) == len(texts)
    for text, value in zip(texts, result["sentiment"], strict=True):
        assert (value is None) == is_non_answer(text)
        assert value is None or -1 <= value <= 1


def test_cli_gives_one_sentiment_per_row(tmp_path, capsys):
    from analysis.cli import main

    path = tmp_path / "a.csv"
    path.write_text("answer\nThe staff were kind\nn/a\nToo slow, nobody called back\n"
                    "Kind nurses\nParking was full\nWaiting too long\n", encoding="utf-8")
    assert main(["themes", str(path), "--column", "answer"]) == 0
    sentiment = json.loads(capsys.readouterr().out)["sentiment"]
    assert len(sentiment) == 6
    assert sentiment[1] is None
    assert sentiment[0] > 0 > sentiment[2]


def _sklearn_vectoriser(analyzer, ngrams, vocabulary, idf):
    """scikit-learn's own TfidfVectorizer with the shipped model's vocabulary and weights."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(analyzer=analyzer, ngram_range=ngrams, sublinear_tf=True,
                          vocabulary={str(t): i for i, t in enumerate(vocabulary)}, dtype=np.float64)
    vec.idf_ = idf
    return vec


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(alphabet=st.sampled_from("ab cdé É\t\n\u00a0\u2028-'!😀waitingTIME"), max_size=40),
                max_size=8))
def test_character_features_are_what_scikit_learn_gives_for_any_text(texts):
    """The character n-grams are found word by word (each word once, for speed); for any text
    they must be scikit-learn's own TfidfVectorizer(analyzer="char_wb") with the shipped
    vocabulary and weights, to the last bit."""
    model = shipped_model()
    theirs = _sklearn_vectoriser("char_wb", model.CHAR_NGRAMS, model.char_vocabulary, model.char_idf)
    texts = [*texts, "The waiting time was too long", "Wi-Fi\tis\u00a0poor", "a", ""]
    ours, expected = model._char_tfidf(texts), theirs.transform(texts)
    assert ours.shape == expected.shape
    assert np.array_equal(ours.indptr, expected.indptr) and np.array_equal(ours.indices, expected.indices)
    assert np.array_equal(ours.data, expected.data)


def _vader_vocabulary():
    from vaderSentiment import vaderSentiment as v

    lexicon = sorted(v.SentimentIntensityAnalyzer().lexicon)
    words = lexicon[::40] + ["good", "bad", "great", "poor", "rude", "kind", "slow", "love", "hate",
                             "no", "not", "never", "without", "doubt", "least", "at", "very", "so",
                             "this", "but", "BUT", "kind", "of", "sort", "isn't", "dont", "nor",
                             "or", "the", "shit", "bad", "ass", "kiss", "death", "to", "die", "for",
                             "GOOD", "Bad", "VERY", "extremely", "barely", "just", "enough", ":)",
                             ":-(", "lol", "staff", "waiting", "time", "was", "too", "long"]
    return words + list(v.BOOSTER_DICT)[::3] + list(v.NEGATE)[::4]


VADER_WORDS = _vader_vocabulary()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(VADER_WORDS),
                          st.sampled_from(["", "", "", ".", ",", "!", "!!", "?", "??", "???", "'", " ",
                                           "\u00e9", "\U0001F600"])), max_size=30))
def test_vader_scores_are_vaders_own_to_the_last_bit(pieces):
    """VADER's scores are found with each word lower-cased once (for speed); for any text they
    must be exactly what vaderSentiment's own polarity_scores gives."""
    from analysis.sentiment import _polarity_scores, _vader

    text = " ".join(word + tail for word, tail in pieces)
    for variant in (text, f"  {text}\n", text.upper()):
        assert _polarity_scores(variant) == _vader().polarity_scores(variant), variant


def test_vader_scores_on_vaders_own_examples():
    from analysis.sentiment import _polarity_scores, _vader

    for text in ["VADER is smart, handsome, and funny!", "VADER is VERY SMART, uber handsome, and "
                 "FRIGGIN FUNNY!!!", "VADER is not smart, handsome, nor funny.",
                 "At least it isn't a horrible book.", "The book was only kind of good.",
                 "The plot was good, but the characters are uncompelling and the dialog is not great.",
                 "Today only kinda sux! But I'll get by, lol", "Make sure you :) or :D today!",
                 "Not bad at all", "Sentiment analysis has never been this good!",
                 "Without a doubt, excellent idea.", "Roger Dodger is one of the least compelling "
                 "variations on this theme.", "no no no bad", "It was not the shit", "no",
                 "the very least good", "at least good", "a least good", "least good", "no or bad",
                 "no nor bad", "never so good", "never this good", "never so very good", "without doubt good",
                 "without a doubt good", "it is so good", "KIND of GOOD", "not very GOOD!",
                 "it kind of sucks",
                 "sort of bad", "bus stop bad", "that was to die for", "no good but bad"]:
        assert _polarity_scores(text) == _vader().polarity_scores(text), text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(alphabet=st.sampled_from("ab cdé É\t\n\u00a0\u2028-'!_1😀waitingTIMEstaffkind"),
                        max_size=60), max_size=8))
def test_word_features_are_what_scikit_learn_gives_for_any_text(texts):
    """The word uni- and bigrams are found without scikit-learn's analyzer (for speed, and so
    the helper process needs no scikit-learn); for any text they must be its own
    TfidfVectorizer's with the shipped vocabulary and weights, to the last bit."""
    model = shipped_model()
    texts = [*texts, "The waiting time was too long", "staff were kind, kind staff", "A", "",
             "Wi-Fi isn't working_now 24/7", "waiting a time, too x long", "staff 1 were very b kind"]
    ours, expected = model._word_tfidf(texts), _sklearn_vectoriser(
        "word", model.WORD_NGRAMS, model.word_vocabulary, model.word_idf).transform(texts)
    assert ours.shape == expected.shape
    assert np.array_equal(ours.indptr, expected.indptr) and np.array_equal(ours.indices, expected.indices)
    assert np.array_equal(ours.data, expected.data)


def test_rows_are_normalised_as_scikit_learn_does_bit_for_bit():
    from scipy import sparse
    from sklearn.preprocessing import normalize

    from analysis.sentiment import _normalise_rows

    rng = np.random.default_rng(1)
    lengths = rng.integers(0, 700, 400)
    lengths[:3] = 0  # empty rows stay empty
    indptr = np.r_[0, np.cumsum(lengths)]
    matrix = sparse.csr_matrix((rng.random(indptr[-1]) * 5, rng.integers(0, 9000, indptr[-1]), indptr),
                               shape=(400, 9000))
    matrix.sum_duplicates()
    ours = matrix.copy()
    _normalise_rows(ours)
    assert np.array_equal(ours.data, normalize(matrix, norm="l2").data)
