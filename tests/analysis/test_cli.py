"""The command line's contract: JSON and text output, and clear errors for bad input."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.cli import main

from .conftest import make_corpus

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def answers_csv(tmp_path_factory):
    texts, _, segments, positions = make_corpus(n_per_topic=25, seed=7)
    path = tmp_path_factory.mktemp("cli") / "answers.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "answer", "group", "position"])
        for i, (t, s, p) in enumerate(zip(texts, segments, positions, strict=True)):
            writer.writerow([i, t, s or "", "" if p is None else p])
    return path, texts


def test_json_output_has_themes_and_one_assignment_per_row(answers_csv, capsys):
    path, texts = answers_csv
    assert main(["themes", str(path), "--column", "answer", "--segment-column", "group",
                 "--position-column", "position"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert len(result["assignments"]) == len(texts)
    ids = {t["id"] for t in result["themes"]}
    for text, assigned in zip(texts, result["assignments"], strict=True):
        assert assigned is None or assigned in ids
        if text.strip() in ("", "nothing", "n/a", "None", "-"):
            assert assigned is None
    theme = result["themes"][0]
    assert {"id", "label", "keywords", "size", "quotes", "subthemes"} <= set(theme)
    assert sum(t["size"] for t in result["themes"]) == sum(a is not None
                                                           for a in result["assignments"])
    assert any(t["by_segment"] for t in result["themes"])


def test_k_fixes_the_number_of_themes(answers_csv, tmp_path):
    path, _ = answers_csv
    out = tmp_path / "out.json"
    assert main(["themes", str(path), "--column", "answer", "--k", "3", "--output",
                 str(out)]) == 0
    assert len(json.loads(out.read_text(encoding="utf-8"))["themes"]) == 3


def test_text_output_is_a_readable_summary(answers_csv, capsys):
    path, _ = answers_csv
    assert main(["themes", str(path), "--column", "answer", "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Themes in 'answer'")
    assert "1. " in out and "answers" in out and "Key words:" in out
    assert "{" not in out  # not JSON


def test_runs_as_a_module(answers_csv):
    path, texts = answers_csv
    done = subprocess.run([sys.executable, "-m", "analysis", "themes", str(path), "--column",
                           "answer"], capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["assignments"]) == len(texts)


def _run(args):
    return subprocess.run([sys.executable, "-m", "analysis", "themes", *args],
                          capture_output=True, text=True, cwd=ROOT, check=False)


def test_missing_file(tmp_path):
    done = _run([str(tmp_path / "nope.csv"), "--column", "answer"])
    assert done.returncode != 0
    assert "file not found" in done.stderr and "Traceback" not in done.stderr


def test_missing_column(answers_csv):
    done = _run([str(answers_csv[0]), "--column", "nope"])
    assert done.returncode != 0
    assert "'nope' not found" in done.stderr and "answer" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (b"answer\n", "no rows"),
    (b"answer\n\xff\xfe caf\xe9\n", "not UTF-8"),
])
def test_bad_files(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    done = _run([str(path), "--column", "answer"])
    assert done.returncode != 0
    assert message in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""


def test_bad_k(answers_csv, capsys):
    assert main(["themes", str(answers_csv[0]), "--column", "answer", "--k", "0"]) != 0
    assert "--k" in capsys.readouterr().err


def test_utf8_bom_and_unicode_are_read(tmp_path, capsys):
    path = tmp_path / "bom.csv"
    path.write_bytes("answer\n".encode("utf-8-sig") + "Café was lovely ☕\nn/a\n".encode())
    assert main(["themes", str(path), "--column", "answer"]) == 0
    assert json.loads(capsys.readouterr().out)["assignments"][1] is None


def test_unwritable_output_is_a_clear_error(answers_csv, tmp_path, capsys):
    assert main(["themes", str(answers_csv[0]), "--column", "answer", "--output",
                 str(tmp_path)]) != 0
    assert "cannot write" in capsys.readouterr().err
