"""`engage demo load` (as `make run` runs it): the demo's consent page promises a named
safeguarding lead, so when SAFEGUARDING_LEADS names the demo's lead, its account is made too and
its login printed, and a flagged answer to the demo reaches them."""

from __future__ import annotations

import copy
import re

from engage import cli

from ..journey_helpers import DEMO_ANSWERS, complete
from .auth.conftest import sign_in

MAKEFILE = cli.ROOT / "Makefile"


def test_make_run_names_the_demo_lead_and_demo_load_makes_their_account(app, client, runner):
    assert f"run: export SAFEGUARDING_LEADS ?= {cli.DEMO_LEAD}" in MAKEFILE.read_text()
    app.config["SAFEGUARDING_LEADS"] = frozenset({cli.DEMO_LEAD})
    result = runner.invoke(cli.main, ["demo", "load"])
    assert result.exit_code == 0, result.output
    password = re.search(rf"Safeguarding lead login: {cli.DEMO_LEAD}  password: (\S+)", result.output)[1]
    answers = copy.deepcopy(DEMO_ANSWERS)
    disclosure = "My carer hit me again and I am frightened"
    answers["people-and-ai"]["q-what-matters-most"] = disclosure
    complete(app.test_client(), answers=answers)
    sign_in(client, cli.DEMO_LEAD, password)
    assert disclosure in client.get("/manage/safeguarding").get_data(as_text=True)

    again = runner.invoke(cli.main, ["demo", "load"])  # a new password each time, as the facilitator's
    assert again.exit_code == 0 and f"Safeguarding lead login: {cli.DEMO_LEAD}" in again.output


def test_demo_load_makes_no_lead_account_when_the_lead_is_not_named(app, runner):
    app.config["SAFEGUARDING_LEADS"] = frozenset({"someone@trust.nhs.uk"})
    result = runner.invoke(cli.main, ["demo", "load"])
    assert result.exit_code == 0 and "Facilitator login" in result.output
    assert "Safeguarding lead login" not in result.output
