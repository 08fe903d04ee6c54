"""The question-type registry is the only place that knows the types by name.

Everything else asks a question's type what it can do (``get_type(q.type).summarised``,
``can_route``…) and includes its templates by name (``"participate/types/" ~ q.type``), so adding a
type is adding its module and templates. This scans the code and templates for a type's name
written as a literal.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from surveys.types import REGISTRY

ROOT = Path(__file__).resolve().parent.parent
NAMES = set(REGISTRY)
#: The types' own code and templates, and the schema's history (a column named "text").
OWN = [ROOT / "surveys" / "types", ROOT / "templates" / "participate" / "types",
       ROOT / "templates" / "summaries", ROOT / "surveys" / "migrations"]
#: (``analysis`` knows nothing of questions: the import contracts keep it so.)
CODE = [ROOT / "engage", ROOT / "surveys", ROOT / "benchmarks", ROOT / "scripts", ROOT / "config.py"]


def _ours(path: Path) -> bool:
    return not any(path.is_relative_to(own) for own in OWN)


def _dict_keys(tree) -> set[int]:
    """ids of string constants used as keys of dict displays (``{"text": …}`` for NHS macros)."""
    return {id(k) for node in ast.walk(tree) if isinstance(node, ast.Dict)
            for k in node.keys if k is not None}


def python_mentions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), str(path))
    keys = _dict_keys(tree)
    return [f"{_name(path)}:{node.lineno}: {node.value!r}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and node.value in NAMES and id(node) not in keys]


TEMPLATE_LITERAL = re.compile(r"""(["'])([a-z]+)\1(\s*:)?""")


def template_mentions(path: Path) -> list[str]:
    found = []
    for n, line in enumerate(path.read_text().splitlines(), 1):
        for m in TEMPLATE_LITERAL.finditer(line):
            if m.group(2) in NAMES and not m.group(3):  # a dict key such as {"text": …} is not a type
                found.append(f"{_name(path)}:{n}: {m.group(0)}")
    return found


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name


def test_no_code_outside_the_registry_names_a_question_type():
    found = []
    for place in CODE:
        for path in sorted(place.rglob("*.py")) if place.is_dir() else [place]:
            if _ours(path):
                found += python_mentions(path)
    for path in sorted((ROOT / "templates").rglob("*.html")):
        if _ours(path):
            found += template_mentions(path)
    assert not found, "Ask the question's type instead of naming it:\n" + "\n".join(found)


def test_the_scan_finds_a_type_name(tmp_path):
    """The scan itself works: a comparison with a type name, in code or a template, is found."""
    code = tmp_path / "x.py"
    code.write_text('if q.type == "tradeoff":\n    pass\nmacro({"text": "fine"})\n')
    assert python_mentions(code) == ["x.py:1: 'tradeoff'"]
    page = tmp_path / "x.html"
    page.write_text('{% if q.type == "likert" %}{{ tag({"text": "fine"}) }}{% endif %}\n')
    assert template_mentions(page) == ['x.html:1: "likert"']
