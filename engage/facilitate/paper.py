"""The printable consultation: a PDF in standard or large print for paper responses."""

from __future__ import annotations

from flask import Response, abort, request
from flask_login import login_required

from surveys import builder

from .. import db
from ..audit import record
from ..auth.access import consultation_or_refuse
from . import bp

#: Print sizes offered (the PDF builder, and reportlab with it, loads only when a PDF is asked for:
#: web workers never import the report stack at start-up).
PRINT_SIZES = ("standard", "large")


@bp.get("/c/<slug>/paper.pdf")
@login_required
def paper_pdf(slug):
    consultation = consultation_or_refuse(slug)
    size = request.args.get("print", "standard")
    if size not in PRINT_SIZES:
        abort(404)
    from ..paper.printable import build_pdf

    s = db.session()
    pages = builder.pages_of(s, consultation)
    pdf = build_pdf(consultation, pages, {p.id: builder.questions_on(s, p) for p in pages}, size)
    record(s, "consultation.print", "consultation", consultation.id, {"print": size})
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{consultation.slug}-{size}-print.pdf"'})
