"""The command line and the Python API given awkward input: positions out of range, files that
cannot be read, an empty or semicolon-separated column, answers in Welsh, answers in no theme,
and a model used before it is fitted."""

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sklearn.exceptions import NotFittedError

from analysis import ThemeModel
from analysis.cli import main

from .conftest import make_corpus

ROOT = Path(__file__).resolve().parents[2]


def _run(args, prefix=()):
    return subprocess.run([*prefix, sys.executable, "-m", "analysis", "themes", *args],
                          capture_output=True, text=True, cwd=ROOT, check=False)


def _write(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


# 1. Trade-off positions: whole numbers from -3 to 3; anything else is ignored, and said.

#: Position cells and whether each is a usable position (blank is simply no position).
POSITIONS = [("1", 1), ("inf", None), ("-2", -2), ("1e400", None), ("99", None), ("", None),
             ("-100", None), ("3", 3), ("2.5", None), ("nan", None), ("-inf", None),
             ("I don't know", None), ("2.0", 2), (" -3 ", -3), ("0", 0)]


@pytest.fixture(scope="module")
def positions_csv(tmp_path_factory):
    texts, _, _, _ = make_corpus(n_per_topic=10, seed=5, non_answers=False)
    cells = [POSITIONS[i % len(POSITIONS)][0] for i in range(len(texts))]
    path = tmp_path_factory.mktemp("positions") / "answers.csv"
    return _write(path, ["answer", "pos"], zip(texts, cells, strict=True)), cells


def test_unusable_positions_are_ignored_and_named_not_a_crash(positions_csv, capsys):
    path, cells = positions_csv
    assert main(["themes", str(path), "--column", "answer", "--position-column", "pos"]) == 0
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    usable = dict(POSITIONS)
    expected = [i for i, c in enumerate(cells) if c.strip() and usable[c] is None]
    assert result["positions_ignored"] == expected
    # Only real positions are counted, and "2.5" is not counted as 2.
    counted = {}
    for theme in result["themes"]:
        for key, n in theme["by_position"].items():
            counted[int(key)] = counted.get(int(key), 0) + n
    assert set(counted) <= set(range(-3, 4))
    assert counted[2] == cells.count("2.0")
    assert sum(counted.values()) == sum(usable[c] is not None for c in cells)
    # One warning line on stderr names the first rows (the header is row 1).
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err
    assert 'row 3 ("inf")' in captured.err and 'row 5 ("1e400")' in captured.err


def test_text_report_says_which_positions_were_ignored(tmp_path, capsys):
    path = _write(tmp_path / "pos.csv", ["answer", "pos"],
                  [("The waiting times were far too long", "1"), ("Parking is impossible", "99"),
                   ("Staff were kind and caring", "2.5"), ("Car park is too expensive", "inf")]
                  * 5)
    assert main(["themes", str(path), "--column", "answer", "--position-column", "pos",
                 "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert "ignored for 15 answers" in out and 'row 3 ("99")' in out and 'row 4 ("2.5")' in out


# 2. Files that cannot be read: one line and a non-zero exit, whatever the reason.

def _assert_clear_error(done, words):
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1
    assert words in done.stderr


def test_symlink_loop_is_a_clear_error(tmp_path):
    (tmp_path / "a.csv").symlink_to(tmp_path / "b.csv")
    (tmp_path / "b.csv").symlink_to(tmp_path / "a.csv")
    _assert_clear_error(_run([str(tmp_path / "a.csv"), "--column", "answer"]),
                        "symbolic links")


def test_file_name_too_long_is_a_clear_error(tmp_path):
    _assert_clear_error(_run([str(tmp_path / ("x" * 300 + ".csv")), "--column", "answer"]),
                        "too long")


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc")
def test_unreadable_device_file_is_a_clear_error():
    _assert_clear_error(_run(["/proc/self/mem", "--column", "answer"]), "cannot read")


def test_permission_denied_is_a_clear_error(tmp_path):
    path = _write(tmp_path / "secret.csv", ["answer"], [["fine"]])
    path.chmod(0)
    prefix = ()
    if os.geteuid() == 0:  # root reads anything: run as nobody (who cannot even reach tmp_path)
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv")
        prefix = ("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups")
    try:
        _assert_clear_error(_run([str(path), "--column", "answer"], prefix), "permission denied")
    finally:
        path.chmod(0o600)


# 3. Sentiment is not measured for answers in Welsh: never "0% positive, 0% mixed, 0% negative".

WELSH = ["Roedd y staff yn wych ac yn garedig iawn", "Dim lle i barcio yn yr ysbyty",
         "Roedd yr amser aros yn rhy hir", "Roedd y nyrsys yn garedig", "Mae angen mwy o staff",
         "Roedd y bwyd yn oer", "Mae'r meddyg wedi esbonio popeth yn glir"]


def test_a_theme_of_welsh_answers_says_sentiment_not_measured(tmp_path, capsys):
    path = _write(tmp_path / "welsh.csv", ["answer"], [[t] for t in WELSH * 4 + ["Dim byd"]])
    assert main(["themes", str(path), "--column", "answer", "--format", "text"]) == 0
    out = capsys.readouterr().out
    theme_lines = [line for line in out.splitlines() if re.match(r"\d+\. ", line)]
    assert theme_lines
    for line in theme_lines:
        assert "0% positive, 0% mixed, 0% negative" not in line
        assert line.endswith("not measured: the answers are in Welsh")


def test_a_theme_of_english_and_welsh_answers_says_how_many_were_not_measured(tmp_path,
                                                                               capsys):
    english = ["The staff were kind and caring", "The staff were rude and unhelpful"]
    path = _write(tmp_path / "mixed.csv", ["answer"], [[t] for t in english * 5 + WELSH[:2] * 3])
    assert main(["themes", str(path), "--column", "answer", "--format", "text", "--k", "1"]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("1. "))
    assert "% positive" in line and line.endswith("; not measured for 6 answers in Welsh")


# 4. Answers in no theme are counted apart from empty answers and non-answers.

def test_answers_in_no_theme_are_not_counted_as_saying_nothing(tmp_path, capsys):
    texts, _, _, _ = make_corpus(n_per_topic=20, seed=11)  # with 7 non-answers
    loners = ["Earache", "Xylophones", "Zeppelins overhead"]  # words no other answer uses
    path = _write(tmp_path / "answers.csv", ["answer"], [[t] for t in texts + loners])
    assert main(["themes", str(path), "--column", "answer", "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert "3 in no theme (too short or too unlike the others to place)" in out
    assert "7 empty or saying nothing" in out

    model = ThemeModel(random_state=0).fit(texts + loners)
    assert int(model.non_answer_.sum()) == 7
    assert list(model.labels_[-3:]) == [-1, -1, -1] and not model.non_answer_[-3:].any()


# 5. redact=False uses the texts as given, as its docstring now says.

def test_redact_false_is_documented_as_showing_texts_as_given():
    assert "always shown redacted" not in ThemeModel.__doc__
    assert "word for word" in ThemeModel.__doc__
    texts = ["Call me on 07700 900123 about parking"] * 3 + ["Parking is too expensive"] * 3
    quotes = [q for t in ThemeModel(random_state=0, redact=False).fit(texts).themes_
              for q in t.quotes]
    assert any("07700 900123" in q for q in quotes)


# 6. An empty column name is a missing column.

def test_empty_column_name_is_the_missing_column_error(tmp_path):
    path = _write(tmp_path / "a.csv", ["answer", "seg"], [["Parking is bad", "x"]] * 5)
    done = _run([str(path), "--column", ""])
    _assert_clear_error(done, "column '' not found")
    assert "columns are: answer, seg" in done.stderr


# 7. A model used before it is fitted says so as scikit-learn does.

@pytest.mark.parametrize("use", [
    lambda m: m.predict(["parking"]),
    lambda m: m.predict(["parking"], novelty=True),
    lambda m: m.transform(["parking"]),
    lambda m: m.predict_scores(["parking"]),
    lambda m: m.predict_subthemes(["parking"], labels=[0]),
    lambda m: m.answer_vectors(["parking"]),
    lambda m: m.to_dict(),
    lambda m: m.to_bytes(),
], ids=["predict", "predict_novelty", "transform", "predict_scores", "predict_subthemes",
        "answer_vectors", "to_dict", "to_bytes"])
def test_unfitted_model_raises_not_fitted_error(use):
    with pytest.raises(NotFittedError):
        use(ThemeModel())


# 8. A semicolon-separated file is named as such.

def test_semicolon_separated_file_says_save_as_comma_separated(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_text("answer;seg\nThe waiting times were far too long;x\n", encoding="utf-8")
    done = _run([str(path), "--column", "answer"])
    _assert_clear_error(done, "semicolons")
    assert "comma-separated" in done.stderr
