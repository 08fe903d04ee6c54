"""The printable consultation: a PDF in standard or large print for paper responses, in English or
(where the consultation is offered in it) Welsh: ``?language=cy``, or the page's own language."""

from __future__ import annotations

from flask import Response, abort, request
from flask_babel import force_locale
from flask_login import login_required

from surveys import builder
from surveys.translations import SOURCE, localise_consultation, localise_page, localise_question, offers

from ... import db
from ...audit import record
from ...auth.access import consultation_or_refuse
from ...i18n import LANGUAGES, current_language
from .. import bp

#: Print sizes offered (the PDF builder, and WeasyPrint with it, loads only when a PDF is asked for:
#: web workers never import the report stack at start-up).
PRINT_SIZES = ("standard", "large")


@bp.get("/c/<slug>/paper.pdf")
@login_required
def paper_pdf(slug):
    consultation = consultation_or_refuse(slug)
    size = request.args.get("print", "standard")
    language = request.args.get("language") or current_language()
    if size not in PRINT_SIZES or language not in LANGUAGES:
        abort(404)
    if language != SOURCE and not offers(consultation, language):
        language = SOURCE  # the consultation has no words in that language: print it in English
    from ...paper.printable import build_pdf

    s = db.session()
    pages = builder.pages_of(s, consultation)
    questions_on = {p.id: [localise_question(q, consultation, language) for q in builder.questions_on(s, p)]
                    for p in pages}
    with force_locale(language):
        pdf = build_pdf(localise_consultation(consultation, language),
                        [localise_page(p, consultation, language) for p in pages], questions_on, size,
                        language)
    record(s, "consultation.print", "consultation", consultation.id, {"print": size, "language": language})
    suffix = "" if language == SOURCE else f"-{language}"
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{consultation.slug}-{size}-print{suffix}.pdf"'})
