"""Builder views for pages: add, edit (wording only once open), delete, reorder, preview."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_login import login_required
from sqlmodel import select

from surveys import builder
from surveys.builder import BuilderError
from surveys.models import Page
from surveys.types import get_type

from .. import db
from ..audit import record
from ..auth.access import consultation_or_refuse
from ..wording import full_stop
from . import bp
from .common import confirm_delete, form_page, refuse
from .forms import EditPageForm, MoveForm, PageForm


def page_or_404(consultation, key: str) -> Page:
    page = db.session().exec(select(Page).where(Page.consultation_id == consultation.id,
                                                Page.key == key)).first()
    if page is None:
        abort(404)
    return page


def _routing_choices(form, consultation, before: Page | None = None) -> None:
    """Routing may depend on an earlier choice question."""
    s = db.session()
    qs = [q for q in builder.questions_of(s, consultation) if get_type(q.type).can_route]
    if before is not None:
        earlier = {p.id for p in builder.pages_of(s, consultation) if p.position < before.position}
        qs = [q for q in qs if q.page_id in earlier]
    form.show_if_question.choices = [("", "Everyone")] + [(q.key, f"{q.key}: {q.prompt}"[:120]) for q in qs]


@bp.route("/c/<slug>/pages/new", methods=["GET", "POST"])
@login_required
def page_new(slug):
    consultation = consultation_or_refuse(slug, edit=True)
    form = PageForm()
    _routing_choices(form, consultation)
    back = (url_for(".overview", slug=slug), "Back to the consultation")
    if form.validate_on_submit():
        s = db.session()
        try:
            page = builder.add_page(s, consultation, form.key.data, form.kind.data, form.title.data,
                                    form.body.data or "", form.show_if_question.data or None,
                                    form.show_if_answers())
        except BuilderError as exc:
            refuse(form, exc)
        else:
            record(s, "page.create", "page", page.id, {"consultation": slug, "key": page.key})
            flash("Added the page " + full_stop(page.title), "success")
            return redirect(url_for(".overview", slug=slug) + f"#page-{page.key}")
    return form_page(form, "Add a page", consultation=consultation, back=back, submit="Add page")


@bp.route("/c/<slug>/pages/<key>/edit", methods=["GET", "POST"])
@login_required
def page_edit(slug, key):
    consultation = consultation_or_refuse(slug, edit=True)
    page = page_or_404(consultation, key)
    form = EditPageForm(obj=page)
    if page.kind != "briefing":
        del form.body
    _routing_choices(form, consultation, before=page)
    if not form.is_submitted():
        form.show_if_question.data = (page.show_if or {}).get("question", "")
        form.show_if_in.data = ", ".join((page.show_if or {}).get("in", []))
    frozen = builder.is_frozen(consultation)
    if form.validate_on_submit():
        s = db.session()
        try:
            changes = builder.update_page(s, consultation, page, form.title.data,
                                          form.body.data if "body" in form else "",
                                          form.show_if_question.data or None, form.show_if_answers())
        except BuilderError as exc:
            refuse(form, exc)
        else:
            if changes:
                record(s, "page.wording_fix" if frozen else "page.update", "page", page.id,
                       {"consultation": slug, "key": page.key, "changes": changes,
                        "version": consultation.version})
            flash("Page saved.", "success")
            return redirect(url_for(".overview", slug=slug) + f"#page-{page.key}")
    return form_page(form, f"Edit page: {page.title}", consultation=consultation, frozen=frozen,
                     back=(url_for(".overview", slug=slug), "Back to the consultation"))


@bp.route("/c/<slug>/pages/<key>/delete", methods=["GET", "POST"])
@login_required
def page_delete(slug, key):
    consultation = consultation_or_refuse(slug, edit=True)
    page = page_or_404(consultation, key)
    return confirm_delete(consultation, "page", page, builder.delete_page, f"Delete the page {page.title}?",
                          "The page and its questions will be deleted.",
                          "Deleted the page " + full_stop(page.title))


@bp.post("/c/<slug>/pages/<key>/move")
@login_required
def page_move(slug, key):
    consultation = consultation_or_refuse(slug, edit=True)
    page = page_or_404(consultation, key)
    form = MoveForm()
    if not form.validate_on_submit() or form.direction.data not in ("up", "down"):
        abort(400)
    s = db.session()
    try:
        builder.move_page(s, consultation, page, -1 if form.direction.data == "up" else 1)
    except BuilderError as exc:
        s.rollback()
        flash(exc.message, "error")
        return redirect(url_for(".overview", slug=slug)), 303
    record(s, "page.move", "page", page.id, {"consultation": slug, "key": key,
                                             "direction": form.direction.data})
    return redirect(url_for(".overview", slug=slug) + f"#page-{key}")


@bp.get("/c/<slug>/preview/<key>")
@login_required
def preview(slug, key):
    """The page exactly as a respondent sees it (their template), with nothing saved."""
    from surveys.journey import Structure

    from .preview import render_page

    consultation = consultation_or_refuse(slug)
    structure = Structure.load(db.session(), consultation)
    page = structure.page(key)
    if page is None:
        abort(404)
    pages = structure.pages
    i = pages.index(page)

    def href(p):
        return url_for(".preview", slug=slug, key=p.key) if p is not None else None

    return render_page(structure, page, back_href=href(pages[i - 1]) if i else None,
                       previous_href=href(pages[i - 1]) if i else None,
                       next_href=href(pages[i + 1]) if i + 1 < len(pages) else None,
                       progress=(i + 1, len(pages)),
                       builder_href=url_for(".overview", slug=slug) + f"#page-{key}")
