"""A web worker never loads the analysis stack: checked in a fresh interpreter after create_app()
and a request to every page of the respondent journey (and the kiosk's join page)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("sklearn", "scipy", "matplotlib", "nltk", "numpy", "openpyxl", "docx", "reportlab", "weasyprint")

SCRIPT = textwrap.dedent("""
    import json, sys
    from engage import create_app
    from engage.db import unit_of_work
    from surveys import migrate
    from surveys.models import Consultation
    from tests.journey_helpers import SLUG, complete

    url = sys.argv[1]
    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "k" * 40, "TESTING": True,
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    loaded_by_app = sorted(m for m in sys.modules if m.split(".")[0] in HEAVY)
    # The demo goes in through the domain alone, as `engage demo load` does.
    from engage.demo import load_demo
    with app.app_context(), unit_of_work() as s:
        load_demo(s)
    client = app.test_client()
    statuses = {p: client.get(p).status_code for p in ("/", f"/c/{SLUG}/", f"/c/{SLUG}/consent",
                                                       "/workshop/", "/health")}
    reference = complete(client)
    statuses["results"] = client.get(f"/c/{SLUG}/results").status_code
    statuses["withdraw"] = client.get(f"/c/{SLUG}/withdraw").status_code
    print(json.dumps({"after_app": loaded_by_app, "statuses": statuses, "reference": reference,
                      "pages": complete.pages_seen,
                      "loaded": sorted(m for m in sys.modules if m.split(".")[0] in HEAVY)}))
""")


def test_respondent_pages_load_no_analysis_stack(tmp_path):
    script = f"HEAVY = {HEAVY!r}\n" + SCRIPT
    done = subprocess.run([sys.executable, "-c", script, f"sqlite:///{tmp_path / 'lean.sqlite3'}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["after_app"] == []
    assert len(result["pages"]) >= 10 and result["reference"]
    assert set(result["statuses"].values()) == {200}, result["statuses"]
    # Saving free text redacted it and checked it for safeguarding words, still without them.
    assert result["loaded"] == [], result["loaded"]


def test_the_analysis_package_names_load_on_first_use_and_stay_what_they_were():
    code = ("import sys, analysis, analysis.redact; from analysis import redact, ThemeModel, Redactor;"
            "print(callable(redact), redact('ring 07700 900123'), ThemeModel.__name__, Redactor.__name__,"
            "'sklearn' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.stdout.split() == ["True", "ring", "[phone", "number]", "ThemeModel", "Redactor", "True"], \
        done.stderr[-2000:]
    bare = subprocess.run([sys.executable, "-c", "import sys, analysis.safeguarding, analysis.redact;"
                           f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert bare.stdout.strip() == "[]", bare.stderr[-2000:]
