"""The kiosk: a tablet at a table that takes one person after another, online or offline.

The shell page holds every page of the consultation, rendered here with the same question
templates as the online journey, inside inert ``<template>`` elements. The person's answers live
only in the page's memory until they press Send; then the whole response goes to ``responses``
(or waits in the tablet's outbox until the network returns) with an idempotency key.

Kiosk requests carry no cookie and no CSRF token: a JSON request is checked against the join code,
the table and a signed kiosk token issued with the shell.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import lru_cache

from flask import (
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer

from surveys import responses, workshops
from surveys.accounts import verify_password
from surveys.models import Consultation, Workshop
from surveys.types import get_type
from surveys.types.base import whole_number

from ... import ROOT, db, errors, fragments
from ...auth import throttle
from ...extensions import csrf
from ...i18n import current_language, from_address, js_plural, language_args, long_date, time_of_day
from ...mail.links import external_url
from ...participate import structures
from ...participate.render import (
    briefing_html,
    consent_html,
    question_keys,
    shown_structure,
    submitted_values,
)
from .. import bp
from ..access import pin_guesses, workshop_by_code

STATIC_JS = ROOT / "static" / "js"
REFERENCES_PER_SHELL = 30
MAX_KIOSK_BYTES = 256 * 1024
TOKEN_HEADER = "X-Kiosk-Token"  # noqa: S105 - a header name


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="engage.workshop.kiosk")


def kiosk_token(workshop: Workshop, table: int) -> str:
    return _serializer().dumps([workshop.id, table])


def reference_signature(workshop: Workshop, reference: str) -> str:
    """Proof that the server made ``reference`` for this workshop's kiosks."""
    key = current_app.config["SECRET_KEY"].encode()
    message = f"engage.workshop.reference:{workshop.id}:{reference}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def reference_pool(workshop: Workshop) -> dict:
    """Reference codes made here for a kiosk to hand out, even offline, one per person."""
    codes = (responses.new_reference() for _n in range(REFERENCES_PER_SHELL))
    return {"id": secrets.token_urlsafe(9),
            "codes": [{"code": c, "sig": reference_signature(workshop, c)} for c in codes]}


def _trusted_reference(workshop: Workshop, body: dict) -> str | None:
    """The kiosk's reference if the server made it (a code the tablet chose itself is replaced)."""
    reference = workshops.check_reference(body)
    signature = body.get("reference_signature")
    if reference and isinstance(signature, str) and \
            hmac.compare_digest(signature, reference_signature(workshop, reference)):
        return reference
    return None


def _token_ok(workshop: Workshop, table: int) -> bool:
    try:
        return _serializer().loads(request.headers.get(TOKEN_HEADER, "")) == [workshop.id, table]
    except BadSignature:
        return False


def _load(code: str, table: int) -> tuple[Workshop, Consultation]:
    workshop = workshop_by_code(code)
    if not 1 <= table <= workshop.tables:
        abort(404, _("This workshop has tables 1 to %(tables)s. Check the table number.",
                     tables=workshop.tables))
    return workshop, db.session().get(Consultation, workshop.consultation_id)


def _json_request(code: str, table: int):
    """The workshop, consultation and JSON body of a kiosk request, or an error response."""
    if (request.content_length or 0) > MAX_KIOSK_BYTES:
        return None, (jsonify(status="too-big", message=_("What the tablet sent is too big.")), 413)
    workshop, consultation = _load(code, table)
    if not _token_ok(workshop, table):
        return None, (jsonify(status="refused", message=_("This tablet has not joined this table. "
                                                                 "Join the workshop again.")), 403)
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return None, (jsonify(status="invalid", message="Send a JSON object."), 400)
    return (workshop, consultation, body), None


def _page_context(structure, page, surface: str, values=None, errors=None) -> dict:
    questions = structure.questions_on(page)
    values, errors = values or {}, errors or {}
    # Each question's markup comes from the fragments cache, kept apart from the online journey's
    # (the shell draws some questions its own way: all of a person's pairs at once).
    keys = question_keys(structure.consultation, questions, values, errors, surface=surface)
    return {"page": page, "questions": questions, "types": {q.key: get_type(q.type) for q in questions},
            "values": values, "errors": errors, "fragment_keys": keys,
            "error_list": [{"text": m, "href": f"#{f}"} for f, m in (errors or {}).items()],
            "body_html": briefing_html(page.body, links=False) if page.kind == "briefing" else None}


def _page_html(structure, page, form, errors) -> str:
    structure = shown_structure(structure)
    page = structure.page(page.key)
    return render_template("workshop/_page.html", consultation=structure.consultation,
                           **_page_context(structure, page, "kiosk check", submitted_values(form), errors))


@bp.get("/")
@throttle.limit("join", methods=("GET",))
def join():
    """Type the join code and table number (or scan a table's QR code, which links straight in)."""
    code = request.args.get("code", "").strip()
    table = request.args.get("table", "").strip()
    errors = {}
    if "code" in request.args or "table" in request.args:  # the form was sent, even empty
        workshop = workshops.find_by_code(db.session(), code) if code else None
        if workshop is None:
            errors["code"] = _("Enter the join code your facilitator gave you, like K7P2QX")
        elif whole_number(table) is None or not 1 <= whole_number(table) <= workshop.tables:
            errors["table"] = _("Enter a table number from 1 to %(tables)s", tables=workshop.tables)
        else:
            # In the language it is set up in: the kiosk takes it from its address alone.
            return redirect(url_for(".kiosk", code=workshop.join_code, table=int(table), **language_args()))
    return render_template("workshop/join.html", code=code, table=table, errors=errors, kiosk=True,
                           error_list=[{"text": m, "href": f"#{f}"} for f, m in errors.items()]), \
        (400 if errors else 200)


@bp.get("/k/<code>/<int:table>")
@from_address
def kiosk(code: str, table: int):
    workshop, consultation = _load(code, table)
    if workshop.status != "open":
        return _closed(_("This workshop has closed, so it is not taking new answers. Thank you for "
                         "taking part."))
    if consultation.status != "open":
        return _closed(_("This consultation is not open for answers."))
    # The same shell for every load of this table's kiosk until the consultation or the workshop
    # changes, except its pool of reference codes: new on each load, written into the kept page.
    key = ("kiosk page", structures.edit_stamp(consultation), workshop.id, workshop.join_code,
           workshop.name, table)
    pool = {_as_data_attribute(_POOL): _as_data_attribute(reference_pool(workshop))}
    return fragments.whole_page(key, lambda: _shell(workshop, consultation, table), fresh=pool)


def _closed(advice: str):
    """The closed kiosk's page: it still sends answers waiting on the tablet (kiosk-closed.js),
    which the server takes for the grace period after closing."""
    title, _default = errors.MESSAGES[410]
    return render_template("workshop/closed.html", kiosk=True, title=title, advice=advice,
                           messages=script_messages()), 410


#: Stands in for the reference pool in the kiosk's kept page (each load gets its own pool).
_POOL = f"engage-references-{secrets.token_hex(12)}"


def _as_data_attribute(value) -> str:
    """``value`` as kiosk.html writes it into a data- attribute (``| tojson | forceescape``)."""
    return _data_attribute(current_app.jinja_env).render(value=value)


@lru_cache(maxsize=4)
def _data_attribute(env):
    return env.from_string("{{ value | tojson | forceescape }}")


def _shell(workshop: Workshop, consultation: Consultation, table: int) -> str:
    structure = shown_structure(structures.load(db.session(), consultation))
    pages = [_page_context(structure, p, "kiosk shell") for p in structure.pages]
    config = current_app.config
    # Everything the kiosk page loads, kept on the tablet so it can reload with no network.
    assets = [url_for("static", filename=f"nhsuk/{n}") for n in ("nhsuk-frontend.min.css",
                                                                 "nhsuk-frontend.min.js")]
    assets += [url_for("static", filename=f"css/{n}") for n in ("engage.css", "workshop.css")]
    assets += [url_for("static", filename=f"js/{p.name}") for p in sorted(STATIC_JS.glob("*.js"))
               if p.name != "sw.js"]
    return render_template(
        "workshop/kiosk.html", kiosk=True, workshop=workshop, consultation=structure.consultation,
        table=table, pages=pages, consent_html=consent_html(structure.consultation, links=False),
        token=kiosk_token(workshop, table), references=_POOL, assets=assets,
        # Where to take answers back, opening in the tablet's language (another browser knows
        # no choice of its own), at the address people use (PUBLIC_URL).
        withdraw_address=external_url("participate.withdraw", slug=consultation.slug, **language_args()),
        idle=config["KIOSK_IDLE_SECONDS"],
        warning=config["KIOSK_WARNING_SECONDS"], reference_seconds=config["KIOSK_REFERENCE_SECONDS"],
        messages=script_messages())


def script_messages() -> dict:
    """The words the kiosk's script writes itself, in the page's language ({name} is filled in by
    the script; a dict of plural categories where a count decides the words)."""
    return {
        "page": _("Page {page} of {pages}"),
        "error": _("Error:"),
        "notAnswered": _("Not answered"),
        "optional": _("(optional)"),
        "notSaved": _("Your answers could not be saved."),
        "sending": _("Sending your answers. Please wait."),
        "waiting": js_plural("Answers from %{count} person are saved on this tablet. They will be sent "
                             "when the connection returns.",
                             "Answers from %{count} people are saved on this tablet. They will be sent "
                             "when the connection returns."),
        "setAside": js_plural("Answers from %{count} person could not be saved: {reasons} Please tell "
                              "the facilitator.",
                              "Answers from %{count} people could not be saved: {reasons} Please tell "
                              "the facilitator."),
        "stillWaiting": _("Answers are still waiting on this tablet. Connect to the network, wait for "
                          "them to be sent, then try again"),
        "connect": _("Connect to the network to leave kiosk mode"),
        "wrongPin": _("That PIN is not right. Ask the facilitator."),
        "referenceHidden": _("Your reference code has been hidden."),
        "allSent": _("All the answers that were waiting on this tablet have been sent."),
        "referenceKept": _("Your reference code will stay on the screen until you press “I have noted my "
                           "code”."),
    }


@bp.post("/k/<code>/<int:table>/check/<key>")
@csrf.exempt
def check_page(code: str, table: int, key: str):
    """Check one page's answers while the person is still there (when the network allows)."""
    loaded, error = _json_request(code, table)
    if error:
        return error
    workshop, consultation, body = loaded
    structure = structures.load(db.session(), consultation)
    page = structure.page(key)
    if page is None:
        abort(404)
    try:
        _key, form = workshops.check_payload({"idempotency_key": "page-check", **body})
    except workshops.PayloadError as exc:
        return jsonify(status="invalid", message=str(exc)), 400
    _parsed, errors = responses.parse_page(shown_structure(structure).questions_on(page), form)
    if not errors:
        return jsonify(status="ok")
    return jsonify(status="invalid", errors=errors, html=_page_html(structure, page, form, errors)), 422


@bp.post("/k/<code>/<int:table>/responses")
@csrf.exempt
@throttle.limit("kiosk_submit", as_json=True)
def submit(code: str, table: int):
    """Take one person's whole response; a repeat of the same idempotency key is not stored again."""
    loaded, error = _json_request(code, table)
    if error:
        return error
    workshop, consultation, body = loaded
    try:
        key, form = workshops.check_payload(body)
        reference = _trusted_reference(workshop, body)
    except workshops.PayloadError as exc:
        return jsonify(status="invalid", message=str(exc)), 400
    s = db.session()
    if workshops.existing(s, key, workshop.id) is None:
        grace = current_app.config["WORKSHOP_GRACE_MINUTES"]
        if not workshops.accepts_answers(workshop, grace):
            ended = workshops.grace_ends(workshop, grace)
            return jsonify(status="closed", message=(
                _("This workshop closed and stopped taking answers at %(time)s (UK time) on %(date)s. "
                  "These answers were not saved.", time=time_of_day(ended), date=long_date(ended)))), 410
        if not workshops.consultation_accepts_answers(consultation, grace):
            return jsonify(status="closed", message=_("This consultation has closed. These answers "
                                                      "were not saved.")), 410
    outcome = workshops.submit_kiosk_response(s, workshop, table, key, form,
                                              lenient=body.get("lenient") is True, reference=reference,
                                              locale=current_language())
    if outcome.withdrawn:
        # Sent again after its person took it back: the tablet may drop it, and learns nothing more.
        return jsonify(status="withdrawn", reference=None, skipped=[]), 200
    if outcome.reference_taken:
        # Its person is still at the tablet, which gives them another of its codes and sends again.
        return jsonify(status="reference-taken",
                       message="This reference code is another response's: send another."), 409
    if outcome.foreign:
        return jsonify(status="refused", message=_("These answers carry a key already used at another "
                                                   "workshop, so they were not saved.")), 409
    if outcome.errors:
        structure = structures.load(s, consultation)
        first = next(p for p in structure.pages if p.key in outcome.errors)
        return jsonify(status="invalid", errors=outcome.errors, page=first.key,
                       html=_page_html(structure, first, form, outcome.errors[first.key])), 422
    reply = {"status": "duplicate" if outcome.duplicate else "stored",
             "reference": outcome.respondent.reference, "skipped": outcome.skipped}
    return jsonify(reply), (200 if outcome.duplicate else 201)


@bp.post("/k/<code>/<int:table>/exit")
@csrf.exempt
@throttle.limit("kiosk_exit", as_json=True, also=lambda code, table: _pin_subject(code))
def exit_kiosk(code: str, table: int):
    """Leaving kiosk mode needs the facilitator's PIN, checked here (never on the tablet)."""
    loaded, error = _json_request(code, table)
    if error:
        return error
    workshop, _consultation, body = loaded
    pin = body.get("pin")
    if not isinstance(pin, str) or len(pin) > 20 or not workshop.pin_hash \
            or not verify_password(workshop.pin_hash, pin):
        return jsonify(status="refused", message=_("That PIN is not right. Ask the facilitator.")), 403
    return jsonify(status="ok", href=url_for(".join"))


def _pin_subject(code: str) -> str:
    workshop = workshops.find_by_code(db.session(), code)
    return pin_guesses(workshop) if workshop else f"workshop:{code.upper()}"


@bp.get("/sw.js")
def service_worker():
    """The kiosk's service worker, served from /workshop/ so its scope covers every kiosk page."""
    response = Response((STATIC_JS / "sw.js").read_bytes(), mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = url_for(".join")
    response.headers["Cache-Control"] = "no-cache"
    return response
