"""A control character pasted into a theme's name or a consultation's title (Word's line break is
one) was saved, and then the Word report could not be written at all (500: "All strings must be
XML compatible"). Typed text is made storable where it comes in, and the report cleans what it
writes, on both databases."""

import io

from docx import Document
from sqlmodel import select

from surveys.models import Consultation, Theme

from .test_reports import docx_text, setup, start, themes_of  # noqa: F401  (fixture)


def test_a_theme_name_and_a_title_with_control_characters_leave_the_report_whole(client, session, setup):  # noqa: F811
    consultation = setup
    run = start(client, session, consultation)
    theme = themes_of(session, run)[0]
    r = client.post(f"/manage/{consultation.slug}/themes/{run.id}/t/{theme.id}",
                    data={"action": "rename", "rename-label": "Fewer \x01passwords\x0b please",
                          "rename-description": "Sign-in\x07 is hard"})
    assert r.status_code == 302
    settings = client.get(f"/manage/c/{consultation.slug}/settings").get_data(as_text=True)
    assert 'name="title"' in settings
    r = client.post(f"/manage/c/{consultation.slug}/settings",
                    data={"title": "Technology\x0bin the NHS\x00", "summary": "A\x1bB", "audience": "",
                          "consent_text": consultation.consent_text or "", "retention_days": "365",
                          "min_group_size": "5"})
    assert r.status_code in (302, 303), r.get_data(as_text=True)[:2000]
    session.expire_all()
    stored = session.get(Theme, theme.id)
    assert stored.label == "Fewer passwords please" and stored.description == "Sign-in is hard"
    renamed = session.exec(select(Consultation).where(Consultation.id == consultation.id)).one()
    assert renamed.title == "Technology\nin the NHS" and renamed.summary == "AB"

    report = client.get(f"/manage/{consultation.slug}/themes/{run.id}/report.docx")
    assert report.status_code == 200
    text = docx_text(report.data)
    assert "Fewer passwords please" in text and "Technology" in text
    assert Document(io.BytesIO(report.data)).core_properties.title.startswith("Technology")
    assert client.get(f"/manage/{consultation.slug}/themes/{run.id}/report.pdf").status_code == 200
