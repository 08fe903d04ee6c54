"""A definition file that is right but for one value of the wrong kind is refused with a message
naming the value, on the web (400, nothing saved) and on the command line (one line, no traceback),
as a key given twice is: it gave a server error, a traceback, or was stored wrongly."""

from __future__ import annotations

import io

import pytest
from sqlmodel import func, select

from engage.cli import main
from surveys.models import Consultation, Question

from .auth.conftest import sign_in, staff  # noqa: F401  (fixture re-exported)

GOOD = """slug: typed
title: Typed
show_results: false
languages: [en]
pages:
  - key: p1
    title: First
    kind: questions
    questions:
      - key: q1
        type: choice
        prompt: Who are you?
        required: true
        segment: true
        config:
          options:
            - {key: a, label: Patient}
            - {key: b, label: Staff}
  - key: p2
    title: Second
    kind: questions
    show_if: {question: q1, in: [a]}
    questions:
      - key: q2
        type: multi
        prompt: Pick some
        required: false
        config:
          max_choices: 2
          options: [{key: x, label: Ex}, {key: y, label: Why}]
      - key: q3
        type: choice
        prompt: Who are you now?
        repeat_of: q1
        config:
          options:
            - {key: a, label: Patient}
            - {key: b, label: Staff}
"""

#: (the line as it is, the line made wrong, what the message says)
BAD = [
    ("show_results: false", "show_results: 'no'", "show_results must be true or false"),
    ("languages: [en]", "languages: [en, {a: 1}]", "languages must list 'en'"),
    ("        type: multi", "        type: [text]", "type must be one of"),
    ("  - key: p2", "  - key: [p2]", "page key must be lowercase letters"),
    ("repeat_of: q1", "repeat_of: [q1]", "repeat_of must be a question key"),
    ("{question: q1, in: [a]}", "{question: [q1], in: [a]}", "show_if must name an earlier choice question"),
    ("""        config:
          max_choices: 2
          options: [{key: x, label: Ex}, {key: y, label: Why}]""", "        config: [1, 2]",
     "config must be a mapping of settings"),
    ("max_choices: 2", "max_choices: -1", "max_choices must be a whole number from 1 to 1,000,000"),
    ("max_choices: 2", "max_choices: 0", "max_choices must be a whole number from 1 to 1,000,000"),
    ("        required: true", "        required: 'no'", "required must be true or false"),
    ("        required: false", "        required: 'yes'", "required must be true or false"),
    ("segment: true", "segment: 'no'", "segment must be true or false"),
    ("{key: x, label: Ex}", "{key: x, label: [A, {x: 1}]}", "option 1: the label must be text"),
    ("{key: x, label: Ex}", "{key: x, label: " + "E" * 50_000 + "}",
     "option 1: the label must be 300 characters or fewer"),
]


def bad(old, new) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


def consultations(session) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(Consultation)).one()


@pytest.mark.parametrize("old, new, said", BAD, ids=[b[1][:40] for b in BAD])
def test_the_command_line_names_the_wrongly_typed_value(runner, session, tmp_path, old, new, said):
    path = tmp_path / "typed.yaml"
    path.write_text(bad(old, new))
    result = runner.invoke(main, ["consultations", "import", str(path)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert said in result.output and "line " in result.output, result.output
    assert "Traceback" not in result.output
    assert consultations(session) == 0


@pytest.mark.parametrize("old, new, said", BAD, ids=[b[1][:40] for b in BAD])
def test_the_web_import_lists_the_wrongly_typed_value(client, session, staff, old, new, said):  # noqa: F811
    sign_in(client, staff("builder@example.nhs.uk", "facilitator").email)
    r = client.post("/manage/import",
                    data={"file": (io.BytesIO(bad(old, new).encode()), "typed.yaml")},
                    content_type="multipart/form-data")
    page = " ".join(r.get_data(as_text=True).replace("&#39;", "'").split())
    assert r.status_code == 400 and said in page, page[-3000:]
    assert consultations(session) == 0


def test_the_good_file_imports_with_its_booleans_as_written(runner, session, tmp_path):
    path = tmp_path / "typed.yaml"
    path.write_text(GOOD)
    result = runner.invoke(main, ["consultations", "import", str(path)])
    assert result.exit_code == 0, result.output
    required = dict(session.exec(select(Question.key, Question.required)).all())
    assert required == {"q1": True, "q2": False, "q3": False}


def test_a_welsh_option_label_has_the_same_limit_as_the_english(runner, session, tmp_path):
    """The builder caps labels at 300 characters in each language; a file's Welsh label had 500."""
    path = tmp_path / "typed.yaml"
    path.write_text(GOOD.replace("languages: [en]", "languages: [en, cy]")
                    .replace("{key: x, label: Ex}", "{key: x, label: Ex, cy: " + "E" * 301 + "}"))
    result = runner.invoke(main, ["consultations", "import", str(path)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "the Welsh label of option 'x' must be 300 characters or fewer" in result.output
    assert consultations(session) == 0


Q2 = """        type: multi
        prompt: Pick some
        required: false
        config:
          max_choices: 2
          options: [{key: x, label: Ex}, {key: y, label: Why}]"""


@pytest.mark.parametrize("config, said", [
    ("type: likert\n        prompt: Agree?\n        config:\n          labels: [A, " + "B" * 301 + ", C]",
     "each of labels must be 300 characters or fewer"),
    ("type: tradeoff\n        prompt: Which?\n        config: {left: " + "L" * 201 + ", right: Speed}",
     "left must be 200 characters or fewer"),
])
def test_scale_labels_and_poles_have_the_builders_limits(client, session, staff, config, said):  # noqa: F811
    """The builder caps a scale label at 300 characters and a pole at 200; a file had no limit."""
    assert Q2 in GOOD
    sign_in(client, staff("builder@example.nhs.uk", "facilitator").email)
    text = GOOD.replace(Q2, "        " + config)
    r = client.post("/manage/import", data={"file": (io.BytesIO(text.encode()), "typed.yaml")},
                    content_type="multipart/form-data")
    page = " ".join(r.get_data(as_text=True).replace("&#39;", "'").split())
    assert r.status_code == 400 and said in page, page[-3000:]
    assert consultations(session) == 0
