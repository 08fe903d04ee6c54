"""A consultation's pages and questions for the respondent's pages, loaded once per edit, not on
every request, and kept per process in each language.

Kept by :func:`edit_stamp`, which every change to the consultation's texts or structure moves on
(the builder and the Welsh version page set ``updated_at``; a wording fix once open also bumps
``version``), so an edit shows at once on every app server. What is kept are copies that belong to
no database session: read them, never change them.

The consultation row itself is kept the same way (:func:`consultation`): each request reads only
its id, version, edit time and status (one small query), and a copy is loaded again when any of
them moved, so an edit, a Welsh text change or closing it shows on the very next request.
"""

from __future__ import annotations

import copy

from flask import Flask, current_app

from surveys import consultations, journey, translations

from ..fragments import BoundedCache

EXTENSION = "engage.structures"


def edit_stamp(consultation) -> tuple:
    """Changes whenever the consultation's texts or structure are edited."""
    return (consultation.id, consultation.version, consultation.updated_at)


def _detached(row):
    return type(row)(**{name: copy.deepcopy(getattr(row, name)) for name in type(row).model_fields})


def _parts(structure: journey.Structure, detach: bool) -> tuple:
    """What is kept: pages, questions and questions by page (never the request's consultation)."""
    pages = [_detached(p) for p in structure.pages] if detach else structure.pages
    questions = [_detached(q) for q in structure.questions] if detach else structure.questions
    by_page: dict[int, list] = {p.id: [] for p in pages}
    for q in questions:
        by_page.setdefault(q.page_id, []).append(q)
    return pages, questions, by_page


def _kept(key, make) -> tuple:
    return current_app.extensions[EXTENSION].get_or_make(key, make)


def consultation(session, slug: str):
    """The consultation called ``slug`` as it is now (None: there is none): a copy that belongs to
    no database session, kept per (edit stamp, status, closing date). Read it, never change it or add it to a
    session. With the structure cache off, the row itself, loaded as before."""
    cache = current_app.extensions[EXTENSION]
    if not cache.size:
        return consultations.by_slug(session, slug)
    fresh = consultations.freshness(session, slug)
    if fresh is None:
        return None
    consultation_id, version, updated_at, status, closes_at = fresh
    # The key is edit_stamp(), the status and the closing date. (A row edited between the two
    # queries is newer than its key: harmless, as every later request reads the new key.)
    return cache.get_or_make(("consultation", (consultation_id, version, updated_at), status, closes_at),
                             lambda: _detached(consultations.by_slug(session, slug)))


def load(session, consultation) -> journey.Structure:
    """The consultation's structure as stored (in English)."""
    if not current_app.extensions[EXTENSION].size:  # nothing kept: no copies to make
        return journey.Structure.load(session, consultation)
    kept = _kept(("stored", edit_stamp(consultation)),
                 lambda: _parts(journey.Structure.load(session, consultation), detach=True))
    return journey.Structure(consultation, *kept)


def shown(structure: journey.Structure, language: str) -> journey.Structure:
    """``structure`` as a person reading ``language`` sees it (see ``translations.localise``)."""
    consultation = structure.consultation
    if language == translations.SOURCE:
        return structure
    # localise() makes copies that belong to no session already.
    kept = _kept(("shown", edit_stamp(consultation), language),
                 lambda: _parts(translations.localise(structure, language), detach=False))
    return journey.Structure(translations.localise_consultation(consultation, language), *kept)


def init_app(app: Flask) -> None:
    # A few consultations, each in two languages: a small number of entries.
    app.extensions[EXTENSION] = BoundedCache(int(app.config.get("STRUCTURE_CACHE_SIZE", 64)))
