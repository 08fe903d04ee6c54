"""The printable consultation: a PDF in standard or large print for paper responses."""

from __future__ import annotations

from flask import Response, abort, request
from flask_login import login_required

from surveys import builder

from .. import db
from ..audit import record
from ..auth.access import consultation_or_refuse
from ..paper.printable import SIZES, build_pdf
from . import bp


@bp.get("/c/<slug>/paper.pdf")
@login_required
def paper_pdf(slug):
    consultation = consultation_or_refuse(slug)
    size = request.args.get("print", "standard")
    if size not in SIZES:
        abort(404)
    s = db.session()
    pages = builder.pages_of(s, consultation)
    pdf = build_pdf(consultation, pages, {p.id: builder.questions_on(s, p) for p in pages}, size)
    record(s, "consultation.print", "consultation", consultation.id, {"print": size})
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{consultation.slug}-{size}-print.pdf"'})
