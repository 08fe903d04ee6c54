"""Outside labelled data for the theme benchmark (``benchmarks/themes.py --labelled``): a file no
choice was made on is read whole, text and code, whatever its column names."""

from __future__ import annotations

import pytest

from benchmarks.devdata import OUTSIDE, coded_answers, labelled_rows
from benchmarks.themes import main


def test_an_outside_file_gives_every_coded_row_with_its_code(tmp_path):
    path = tmp_path / "coded.csv"
    path.write_text('\ufefftext,category\n"Where is my card, it has been a week?",card_arrival\n'
                    "  ,card_arrival\nHow do I link my card?,\nWhat is the exchange rate?,exchange_rate\n"
                    "Multi\u00adline answers are fine,exchange_rate\n", encoding="utf-8")
    texts, codes = labelled_rows(path)
    assert texts == ["Where is my card, it has been a week?", "What is the exchange rate?",
                     "Multi\u00adline answers are fine"]
    assert codes == ["card_arrival", "exchange_rate", "exchange_rate"]
    assert coded_answers(path, OUTSIDE) == (texts, codes)


def test_a_missing_outside_file_is_one_clear_line(tmp_path):
    with pytest.raises(SystemExit, match="data file not found"):
        main(["--labelled", str(tmp_path / "nothing.csv")])
