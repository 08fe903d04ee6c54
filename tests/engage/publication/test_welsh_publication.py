"""'You said, we did' in Welsh: the facilitator's own words in Welsh beside the English, and the public
page in Welsh for a reader who chose Welsh on a bilingual consultation."""

from sqlmodel import select

from surveys.models import PublicationVersion

from ...journey_helpers import SLUG
from .test_publication import COMPOSE, PUBLIC, analysed, compose  # noqa: F401  (fixture)


def test_the_published_page_is_in_welsh_for_a_welsh_reader(client, session, analysed):  # noqa: F811
    assert 'name="heard_cy"' in client.get(COMPOSE).get_data(as_text=True)  # the demo is bilingual
    heard = "Mae'r rhan fwyaf ohonoch chi eisiau **person** i siarad ag ef."
    compose(client, heard_cy=heard, will_do_cy="")
    draft = session.exec(select(PublicationVersion)).one()
    assert draft.translations == {"cy": {"heard": heard}}
    assert 'Mae&#39;r rhan fwyaf' in client.get(COMPOSE).get_data(as_text=True)  # kept for the next draft
    preview = f"/manage/c/{SLUG}/publication/1/preview"
    assert "Mae'r rhan fwyaf" in client.get(preview + "?lang=cy").get_data(as_text=True)  # checked first
    assert "Mae'r rhan fwyaf" not in client.get(preview + "?lang=en").get_data(as_text=True)
    assert client.post(f"/manage/c/{SLUG}/publication/1/publish").status_code == 302
    client.post("/account/sign-out")

    welsh = client.get(PUBLIC + "?lang=cy").get_data(as_text=True)
    assert '<html lang="cy"' in welsh
    assert "Mae'r rhan fwyaf ohonoch chi eisiau <strong>person</strong>" in welsh
    # No Welsh for "what we will do": the English is shown, marked as English.
    assert '<div lang="en"><p>We will keep phone lines open.</p></div>' in welsh
    assert "Pa mor aml ydych chi&#39;n defnyddio Ap GIG?" in welsh  # a chart's question, in Welsh
    assert "Tua unwaith y mis" in welsh  # and its answers
    assert "Technoleg yn y GIG" in welsh
    english = client.get(PUBLIC + "?lang=en").get_data(as_text=True)
    assert "rhan fwyaf" not in english and "How often do you use the NHS App?" in english
    assert 'lang="en"><p>' not in english
