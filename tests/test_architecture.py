"""Import directions (README, Architecture): checked by import-linter's contracts in pyproject.toml."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_are_kept():
    lint = Path(sys.executable).parent / "lint-imports"
    assert lint.exists(), "import-linter is a test dependency: run `make install-test`"
    done = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "5 kept, 0 broken" in done.stdout, done.stdout


def test_the_web_layer_asks_surveys_and_writes_no_queries_of_its_own():
    """`surveys` owns every query: a module of `engage` (the web layer) parses the request, calls
    `surveys` and renders. Builds a select of its own, and this names the file and line."""
    import re

    found = [f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
             for path in sorted((ROOT / "engage").rglob("*.py"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"\bselect\(|from sqlmodel import .*\bselect\b", line)]
    assert found == []


def test_every_blueprint_keeps_one_shape():
    """A blueprint is a package of `engage`: its Blueprint in `__init__.py`, its routes in `views.py`
    (or a `views/` package, one module per area, when it has several), its forms in `forms.py`,
    and its templates in `templates/<name>/`. A route or a form anywhere else, or a blueprint
    without its templates folder, is named here with its file and line."""
    import re

    routes = re.compile(r"^@bp\.(route|get|post|put|delete)\(")
    forms = re.compile(r"^class \w+\((FlaskForm|ChoicesForm)\)")
    packages = sorted(p.parent for p in (ROOT / "engage").glob("*/__init__.py")
                      if "Blueprint(" in p.read_text(encoding="utf-8"))
    assert {p.name for p in packages} >= {"auth", "facilitate", "main", "participate", "themes", "workshop"}
    misplaced = []
    for package in packages:
        assert (ROOT / "templates" / package.name).is_dir(), package.name
        for path in sorted(package.rglob("*.py")):
            inside = path.relative_to(package)
            in_views = inside.parts[0] in ("views.py", "views")
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if (routes.match(line) and not in_views) or (forms.match(line) and inside.name != "forms.py"):
                    misplaced.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert misplaced == []
