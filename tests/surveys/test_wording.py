"""surveys.wording: a pole or option as it reads inside a sentence (English and Welsh), and a mean
on the trade-off scale."""

import pytest

from surveys.wording import lower_first, signed


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


@pytest.mark.parametrize(("value", "shown"), [
    (-0.04, "0.0"),   # not "-0.0"
    (0.0, "0.0"),
    (0.04, "0.0"),
    (-0.2, "\u22120.2"),  # a minus sign, as the sentence's "−3" has, not a hyphen
    (1.26, "+1.3"),
    (-3.0, "\u22123.0"),
])
def test_a_mean_on_the_trade_off_scale_reads_as_a_number(value, shown):
    assert signed(value) == shown
