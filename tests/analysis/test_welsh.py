"""Answers written in Welsh: NHS Wales consultations are answered in Welsh as well as English.

Before, a Welsh answer's letters with accents broke its words ("ffôn" was "ff"), Welsh small words
were a theme's keywords ("yn", "fy", "mae"), the pronoun rule wrote "Dim lle I barcio" and the
English sentiment model read "... yn ofnadwy" ("... is awful") as positive.
"""

import json
import random

import numpy as np
import pytest

from analysis import ThemeModel
from analysis.cli import main
from analysis.language import looks_welsh
from analysis.nonanswers import is_non_answer
from analysis.sentiment import sentiment_classes, sentiment_scores, shares
from analysis.text import WELSH_STOP_WORDS, tokenise

TOPICS = {
    "waiting": ["Roedd yr amser aros yn rhy hir", "Aros yn hir iawn am apwyntiad gyda'r meddyg",
                "Mae'r rhestrau aros yn llawer rhy hir", "Roedd rhaid i mi aros am oriau yn yr adran frys",
                "Aros chwe mis i weld arbenigwr"],
    "staff": ["Roedd y staff yn garedig iawn", "Nyrsys gwych a chyfeillgar",
              "Roedd y meddyg yn gwrando arnaf", "Staff caredig a gofalgar bob amser",
              "Diolch i'r nyrsys am eu gofal caredig"],
    "parking": ["Mae parcio yn yr ysbyty yn ofnadwy", "Dim lle i barcio o gwbl",
                "Mae'r maes parcio yn rhy ddrud", "Cymryd hanner awr i ddod o hyd i le parcio",
                "Parcio yn anodd iawn ger yr ysbyty"],
    "phone": ["Gweld fy nghofnodion ar fy ffôn", "Hoffwn weld canlyniadau ar fy ffôn",
              "Ap ar y ffôn i drefnu apwyntiad", "Mae'r ffôn yn brysur drwy'r bore",
              "Neb yn ateb y ffôn yn y feddygfa"],
}


def welsh_corpus(n_per_topic=40, seed=3):
    rng = random.Random(seed)
    texts, topics = [], []
    for topic, lines in TOPICS.items():
        for _ in range(n_per_topic):
            text = rng.choice(lines)
            if rng.random() < 0.4:
                opening = rng.choice(["Yn fy marn i, ", "Wel, ", "A dweud y gwir, "])
                text = opening + text[0].lower() + text[1:]
            if rng.random() < 0.4:
                text += rng.choice([". Diolch", " ac mae hynny'n bwysig", " i mi", "."])
            texts.append(text)
            topics.append(topic)
    return texts, topics


@pytest.fixture(scope="module")
def fitted():
    texts, topics = welsh_corpus()
    return ThemeModel(random_state=0).fit(texts), texts, topics


def test_letters_with_accents_are_letters_of_the_word():
    assert tokenise("Gweld fy nghofnodion ar fy ffôn, y tŷ, café") == \
        ["gweld", "fy", "nghofnodion", "ar", "fy", "ffôn", "y", "tŷ", "café"]


@pytest.mark.parametrize("text, welsh", [
    ("Roedd y staff yn garedig iawn", True),
    ("Dim lle i barcio o gwbl", True),
    ("Siarad Cymraeg gyda'r meddyg", True),
    ("The staff were kind", False),
    ("The AC was broken on the ward and I waited 1 yr", False),
    ("I had no idea what ei meant", False),
    ("The lights were dim", False),
])
def test_a_welsh_answer_is_told_from_an_english_one(text, welsh):
    assert looks_welsh(text) is welsh


def test_welsh_small_words_are_no_theme_keywords_and_the_topics_are_found(fitted):
    model, texts, topics = fitted
    words = {w for theme in model.themes_ for k in theme.keywords for w in k.split()}
    assert not words & WELSH_STOP_WORDS, words & WELSH_STOP_WORDS
    assert "ff" not in words and "ffôn" in words
    # Each theme holds answers about one topic (themes are finer than topics: the count is the
    # engine's own).
    topics = np.array(topics)
    for theme in range(len(model.themes_)):
        _, counts = np.unique(topics[model.labels_ == theme], return_counts=True)
        assert counts.max() >= 0.9 * counts.sum(), model.themes_[theme].label


def test_a_welsh_negation_is_shown_as_written(fitted):
    model, _, _ = fitted
    keywords = [k for t in model.themes_ for k in t.keywords]
    assert not [k for k in keywords if k.startswith("not ")], keywords  # was "not lle"
    assert "dim lle" in keywords


def test_a_welsh_label_keeps_its_small_i(fitted):
    model, _, _ = fitted
    labels = [t.label for t in model.themes_] + [s.label for t in model.themes_ for s in t.subthemes]
    assert not any(" I " in f" {label} " for label in labels), labels
    assert any(" i " in f" {label} " for label in labels), labels  # "Dim lle i barcio", ...


def test_welsh_answers_are_not_given_an_english_sentiment(fitted):
    model, texts, _ = fitted
    assert np.isnan(model.sentiment_).all() and (model.sentiment_class_ == -1).all()
    assert all(t.sentiment is None and t.sentiment_shares == {"positive": 0.0, "mixed": 0.0, "negative": 0.0}
               for t in model.themes_)
    awful = ["Mae parcio yn yr ysbyty yn ofnadwy", "Parking was awful"]
    assert sentiment_classes(awful) == [None, "negative"]
    scores = sentiment_scores(["Roedd y staff yn garedig iawn", "The staff were lovely"])
    assert np.isnan(scores[0]) and scores[1] > 0
    # Shares are of the answers scored: a Welsh answer (class -1) counts for none of them.
    assert shares([2, 2, 0, -1, -1]) == pytest.approx({"positive": 2 / 3, "mixed": 0.0, "negative": 1 / 3},
                                                      abs=1e-4)


def test_the_cli_gives_null_sentiment_for_a_welsh_row(tmp_path, capsys):
    texts, _ = welsh_corpus(n_per_topic=10)
    english = ["The parking was awful and far too expensive", "The staff were lovely and kind"] * 10
    path = tmp_path / "answers.csv"
    path.write_text("answer\n" + "\n".join(f'"{t}"' for t in texts + english) + "\n", encoding="utf-8")
    assert main(["themes", str(path), "--column", "answer"]) == 0
    sentiment = json.loads(capsys.readouterr().out)["sentiment"]
    assert sentiment[:len(texts)] == [None] * len(texts)
    assert all(isinstance(s, float) for s in sentiment[len(texts):])


@pytest.mark.parametrize("text", ["Dim byd", "dim sylw, diolch", "Dwi ddim yn gwybod", "Ddim yn siŵr",
                                  "Amherthnasol", "Dim i'w ddweud"])
def test_welsh_non_answers_get_no_theme(text):
    assert is_non_answer(text)


@pytest.mark.parametrize("text", ["Dim lle i barcio", "Dim byd, roedd y staff yn wych"])
def test_welsh_answers_that_start_like_one_are_kept(text):
    assert not is_non_answer(text)
