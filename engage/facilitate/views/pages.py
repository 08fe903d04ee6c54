"""Builder views for pages: add, edit (wording only once open), delete, reorder, preview."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from surveys import builder, consultations
from surveys.builder import BuilderError
from surveys.models import Page
from surveys.types import get_type
from surveys.types.base import option_label

from ... import db
from ...audit import record
from ...auth.access import consultation_or_refuse
from ...wording import full_stop
from .. import bp
from ..common import check_stamp, confirm_delete, form_page, move_one, refuse, stamp_form
from ..forms import PAGE_KINDS, EditPageForm, PageForm, PageKindForm


def page_or_404(consultation, key: str) -> Page:
    page = consultations.page_by_key(db.session(), consultation.id, key)
    if page is None:
        abort(404)
    return page


def _routing_choices(form, consultation, before: Page | None = None) -> None:
    """Routing may depend on an earlier question with a list of answers: the questions to choose
    from, and each one's answers (by label, never by key)."""
    s = db.session()
    qs = [q for q in builder.questions_of(s, consultation) if get_type(q.type).can_route]
    if before is not None:
        earlier = {p.id for p in builder.pages_of(s, consultation) if p.position < before.position}
        qs = [q for q in qs if q.page_id in earlier]
    if not qs:
        form.show_if_question.choices = [("", _("Everyone"))]
        form.show_if_question.description = _("Everyone sees this page. To show it only to some "
                                               "people, first add a question with a list of answers "
                                               "on an earlier page.")
        del form.show_if_in
        return
    form.show_if_question.choices = [("", _("Everyone"))] + [(q.key, q.prompt[:100]) for q in qs]
    form.show_if_in.set_questions(
        [(q.key, q.prompt, [(a, option_label(q, a)) for a in builder.route_answers(q)]) for q in qs])


def routing_words(consultation, pages) -> dict[str, str]:
    """Each routed page's rule in words, by page key: who sees it, by the labels of the answers."""
    by_key = {q.key: q for q in builder.questions_of(db.session(), consultation)}
    words = {}
    for page in pages:
        rule = page.show_if or {}
        q = by_key.get(rule.get("question"))
        if q is not None:
            answers = _(" or ").join(option_label(q, a) for a in rule.get("in", []))
            words[page.key] = _("Shown only to people who answered ‘%(prompt)s’ with %(answers)s",
                                prompt=q.prompt, answers=answers)
        elif rule:
            words[page.key] = _("Shown depending on a question that no longer exists")
    return words


def _routing_values(form) -> tuple[str | None, list[str]]:
    if "show_if_in" not in form:
        return None, []
    return form.show_if_question.data or None, form.show_if_answers()


@bp.route("/c/<slug>/pages/new", methods=["GET", "POST"])
@login_required
def page_new(slug):
    consultation = consultation_or_refuse(slug, edit=True)
    back = (url_for(".overview", slug=slug), _("Back to the consultation"))
    kind = request.args.get("kind") or request.form.get("kind") or ""
    if kind not in dict(PAGE_KINDS):
        # First step: the kind of page decides what else is asked (GET: nothing to save).
        form = PageKindForm(request.args, meta={"csrf": False})
        if "kind" in request.args:
            form.validate()
        return form_page(form, _("Add a page"), consultation=consultation, back=back,
                         submit=_("Continue"), method="get")
    form = PageForm(kind=kind)
    if kind != "briefing":
        del form.body
    _routing_choices(form, consultation)
    if form.validate_on_submit():
        s = db.session()
        try:
            page = builder.add_page(s, consultation, form.key.data, kind, form.title.data,
                                    form.body.data or "" if "body" in form else "", *_routing_values(form))
        except BuilderError as exc:
            refuse(form, exc)
        else:
            record(s, "page.create", "page", page.id, {"consultation": slug, "key": page.key})
            flash(_("Added the page %(title)s", title=full_stop(page.title)), "success")
            return redirect(url_for(".overview", slug=slug) + f"#page-{page.key}")
    heading = _("Add a briefing page") if kind == "briefing" else _("Add a questions page")
    return form_page(form, heading, consultation=consultation, back=back, submit=_("Add page"))


@bp.route("/c/<slug>/pages/<key>/edit", methods=["GET", "POST"])
@login_required
def page_edit(slug, key):
    consultation = consultation_or_refuse(slug, edit=True)
    page = page_or_404(consultation, key)
    form = EditPageForm(obj=page)
    stamp_form(form, consultation)
    if page.kind != "briefing":
        del form.body
    if not form.is_submitted():
        rule = page.show_if or {}
        form.show_if_question.data = rule.get("question", "")
        form.show_if_in.data = [f"{rule.get('question')}:{a}" for a in rule.get("in", [])]
    _routing_choices(form, consultation, before=page)
    frozen = builder.is_frozen(consultation)
    if form.validate_on_submit():
        s = db.session()
        try:
            check_stamp(form, consultation)
            changes = builder.update_page(s, consultation, page, form.title.data,
                                          form.body.data if "body" in form else "", *_routing_values(form))
        except BuilderError as exc:
            refuse(form, exc)
        else:
            if changes:
                record(s, "page.wording_fix" if frozen else "page.update", "page", page.id,
                       {"consultation": slug, "key": page.key, "changes": changes,
                        "version": consultation.version})
            flash(_("Page saved."), "success")
            return redirect(url_for(".overview", slug=slug) + f"#page-{page.key}")
    return form_page(form, _("Edit page: %(title)s", title=page.title), consultation=consultation,
                     frozen=frozen, back=(url_for(".overview", slug=slug) + f"#page-{page.key}",
                                          _("Back to the consultation")))


@bp.route("/c/<slug>/pages/<key>/delete", methods=["GET", "POST"])
@login_required
def page_delete(slug, key):
    consultation = consultation_or_refuse(slug, edit=True)
    page = page_or_404(consultation, key)
    return confirm_delete(consultation, "page", page, builder.delete_page,
                          _("Delete the page %(title)s?", title=page.title),
                          _("The page and its questions will be deleted."),
                          _("Deleted the page %(title)s", title=full_stop(page.title)))


@bp.post("/c/<slug>/pages/<key>/move")
@login_required
def page_move(slug, key):
    consultation = consultation_or_refuse(slug, edit=True)
    return move_one(consultation, "page", page_or_404(consultation, key), builder.move_page, f"page-{key}")


@bp.get("/c/<slug>/preview/<key>")
@login_required
def preview(slug, key):
    """The page exactly as a respondent sees it (their template), with nothing saved."""
    from surveys.journey import Structure

    from ..preview import render_page

    consultation = consultation_or_refuse(slug)
    structure = Structure.load(db.session(), consultation)
    page = structure.page(key)
    if page is None:
        abort(404)
    pages = structure.pages
    i = pages.index(page)
    # "Page 1 of 15" as a respondent reading it counts: the pages everyone sees, and this one
    # (a page shown only after certain answers is counted only once those answers are given).
    seen = [p for p in pages if p is page or not p.show_if]

    def href(p):
        return url_for(".preview", slug=slug, key=p.key) if p is not None else None

    return render_page(structure, page, back_href=href(pages[i - 1]) if i else None,
                       previous_href=href(pages[i - 1]) if i else None,
                       next_href=href(pages[i + 1]) if i + 1 < len(pages) else None,
                       progress=(seen.index(page) + 1, len(seen)), in_builder=(i + 1, len(pages)),
                       builder_href=url_for(".overview", slug=slug) + f"#page-{key}")
