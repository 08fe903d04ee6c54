"""surveys.wording.lower_first: a pole or option as it reads inside a sentence, in English and Welsh."""

import pytest

from surveys.wording import lower_first


@pytest.mark.parametrize(("phrase", "inside"), [
    ("Human connection", "human connection"),
    ("Both equally", "both equally"),
    ("A quick diagnosis", "a quick diagnosis"),
    ("Y ddau yr un fath", "y ddau yr un fath"),  # Welsh "both the same": the article is a word too
    ("Cysylltiad dynol", "cysylltiad dynol"),
    ("NHS App", "NHS App"),
    ("AI scribes", "AI scribes"),
    ("I think so", "I think so"),
    ("iPhone", "iPhone"),
    ("X", "X"),
    ("", ""),
])
def test_a_phrase_inside_a_sentence(phrase, inside):
    assert lower_first(phrase) == inside
