"""The report's trade-off chart by group never lets a count of 1 to 4 people be read off it: its
seven points become three sides where any point of any group would, and a group whose sides
would still single someone out is not shown (with everyone less the others counted too)."""

from __future__ import annotations

import re

from ...factories import give_trade_off_points, signed_in_lead_with_answers
from .test_reports import docx_text, flat, start

QUESTION = "connection-vs-speed-before"


def report_with(app, session, client, groups: dict[str, list[int]]) -> str:
    """The Word report after giving the trade-off's answers: ``groups`` is each group's points,
    in turn over the people who answered it."""
    consultation = signed_in_lead_with_answers(app, session, client, 60)
    give_trade_off_points(session, QUESTION, groups)
    run = start(client, session, consultation)
    return flat(docx_text(client.get(f"/manage/{consultation.slug}/themes/{run.id}/report.docx").data))


def lean(report: str, group: str) -> str:
    """The sentence saying where a group stands on the question asked at the start."""
    section = report.split("Before: ")
    return next(s for s in section if s.startswith(f"{group} (")).split(". ")[0]


def test_a_point_of_too_few_people_joins_the_chart_into_three_sides(app, session, client):
    staff = [-3] * 8 + [-2] * 2 + [-1] * 1 + [0] * 6 + [1] * 3 + [2] * 6 + [3] * 4
    patients = [-3] * 6 + [-2] * 6 + [-1] * 5 + [0] * 5 + [1] * 1 + [2] * 3 + [3] * 4
    report = report_with(app, session, client, {"staff": staff, "patient": patients})
    assert "joins the seven points into three" in report
    assert re.match(r"NHS staff \(30\): 37% lean towards .*, 20% both equally, 43% lean towards",
                    lean(report, "NHS staff")), lean(report, "NHS staff")


def test_a_group_whose_sides_would_single_someone_out_is_not_shown(app, session, client):
    """2 of the staff said both equally: their sides are hidden, and so are the patients' (everyone
    less the patients would give the 2 away); everyone is still shown."""
    staff = [-3] * 7 + [-2] * 7 + [0] * 2 + [2] * 7 + [3] * 7
    patients = [-1] * 5 + [0] * 5 + [1] * 5
    report = report_with(app, session, client, {"staff": staff, "patient": patients})
    assert lean(report, "NHS staff") == "NHS staff (30): not shown, so that no one can be singled out"
    patients_said = lean(report, "Patients, carers and public")
    assert patients_said.endswith("not shown, so that no one can be singled out")
    assert re.match(r"Everyone \(45\): \d+% lean towards", lean(report, "Everyone"))
