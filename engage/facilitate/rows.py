"""A list edited as rows (answer options, scale labels): add, remove and reorder, without JavaScript.

Each row is a label box (``NAME-N-label``) and, for options, the option's key in a hidden box
(``NAME-N-key``, empty for a new row: the builder makes the key from the label). The buttons
"Add another option", "Remove", "Move up" and "Move down" submit the whole form with
``rows-action`` set; the page comes back with the rows changed and nothing saved until "Save".
``static/js/rows.js`` does the same in the page, without a round trip.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.fields import Field
from wtforms.utils import unset_value
from wtforms.validators import ValidationError

from surveys.types.base import KEY_CHARS, MAX_LABEL, same_words

#: Setting kinds edited as rows: "options" rows carry keys, "lines" rows are labels only.
ROW_KINDS = ("options", "lines")
ACTION = "rows-action"
#: Rows read from one request at most: a list longer than any setting allows is refused, not read.
MAX_ROWS_READ = 100
_ROW = re.compile(r"^(?P<name>[a-z_]+)-(?P<n>[0-9]{1,3})-(?P<part>label|key)$")


class RowsField(Field):
    """Rows of labels; ``data`` is the list to store (``[{"key", "label"}]`` or ``[label]``)."""

    def __init__(self, label=None, validators=None, keyed=True, required=False, rows=(0, 30), **kwargs):
        super().__init__(label, validators, **kwargs)
        self.keyed = keyed
        self.required = required
        self.min_rows, self.max_rows = rows
        self.rows: list[dict] = []
        self.row_errors: dict[int, str] = {}
        self.focus: int | None = None
        self.too_many = False
        #: Only the words may change (the consultation has opened): no adding, removing or moving.
        self.fixed = False

    # Reading ----------------------------------------------------------------------------------
    def fill(self, stored) -> None:
        """Rows from a stored config value."""
        self.rows = [{"key": str(o.get("key", "")), "label": str(o.get("label", ""))}
                     if isinstance(o, dict) else {"key": "", "label": str(o)} for o in stored or []]

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.process_errors = []
        self.object_data = None if data is unset_value else data
        self.rows, self.row_errors, self.too_many = [], {}, False
        if formdata is None or self.name + "-rows" not in formdata:
            return
        found: dict[int, dict] = {}
        for name in formdata:
            m = _ROW.match(name)
            if m and m["name"] == self.name:
                found.setdefault(int(m["n"]), {"key": "", "label": ""})[m["part"]] = formdata.get(name) or ""
        if len(found) > MAX_ROWS_READ:
            self.too_many = True
        self.rows = [{"key": r["key"].strip(), "label": " ".join(r["label"].split())}
                     for _n, r in sorted(found.items())[:MAX_ROWS_READ]]

    @property
    def data(self):
        filled = [r for r in self.rows if r["label"] or r["key"]]
        if self.keyed:
            return [{"key": r["key"], "label": r["label"]} if r["key"] else {"label": r["label"]}
                    for r in filled]
        return [r["label"] for r in filled]

    @data.setter
    def data(self, value):  # WTForms sets data on construction; rows are filled by ``fill``
        pass

    # Checking ---------------------------------------------------------------------------------
    def pre_validate(self, form):
        self.row_errors = {}
        what = _("options") if self.keyed else str(self.label.text).lower()
        for n, row in enumerate(self.rows):
            if row["key"] and not row["label"]:
                self.row_errors[n] = _("Enter the text for row %(n)s, or remove the row", n=n + 1)
            elif len(row["label"]) > MAX_LABEL:
                self.row_errors[n] = _("Row %(n)s must be %(max)s characters or fewer",
                                       n=n + 1, max=MAX_LABEL)
            elif row["key"] and (len(row["key"]) > 80 or not set(row["key"]) <= KEY_CHARS):
                self.row_errors[n] = _("Row %(n)s could not be read. Remove it and add it again", n=n + 1)
        self._same_words()
        if self.row_errors:
            first = min(self.row_errors)
            raise ValidationError(self.row_errors[first] if len(self.row_errors) == 1 else
                             _("Check the rows marked below: %(first)s", first=self.row_errors[first]))
        filled = len(self.data)
        if self.too_many or filled > self.max_rows:
            raise ValidationError(_("Enter %(max)s %(what)s or fewer", max=self.max_rows, what=what))
        if filled < self.min_rows and (filled or self.required):
            if self.required:
                raise ValidationError(_("Enter at least %(min)s %(what)s", min=self.min_rows, what=what))
            raise ValidationError(_("Enter at least %(min)s %(what)s, or none to use the usual ones",
                               min=self.min_rows, what=what))

    def _same_words(self) -> None:
        """Mark each row that says what an earlier row says, whatever the capitals or spaces: a
        person answering could not tell the two apart, nor a reader of the results ("Patient"
        twice). Checked here, where the words are typed, not where keys are made: the builder
        still makes distinct keys for labels that differ only in what a key leaves out ("Yes",
        "Yes!" → ``yes``, ``yes-2``)."""
        first: dict[str, int] = {}
        for n, row in enumerate(self.rows):
            words = same_words(row["label"])
            if not words or n in self.row_errors:
                continue
            if words in first:
                self.row_errors[n] = _("Row %(n)s says the same as row %(first)s. Change the words "
                                       "so that people can tell them apart", n=n + 1, first=first[words] + 1)
            else:
                first[words] = n

    # Changing without saving ----------------------------------------------------------------
    def apply(self, verb: str, n: int | None) -> None:
        """Add a row, or remove or move row ``n`` (0-based); moves past either end do nothing."""
        rows = self.rows
        if verb == "add" and len(rows) < self.max_rows:
            rows.append({"key": "", "label": ""})
            self.focus = len(rows) - 1
        elif n is None or not 0 <= n < len(rows):
            return
        elif verb == "remove":
            rows.pop(n)
            self.focus = min(n, len(rows) - 1) if rows else None
        elif verb in ("up", "down"):
            m = n - 1 if verb == "up" else n + 1
            if 0 <= m < len(rows):
                rows[n], rows[m] = rows[m], rows[n]
                self.focus = m
            else:
                self.focus = n


def row_action(form, formdata) -> bool:
    """Apply the rows button that sent the form, if one did; True when one did (show the form
    again, save nothing)."""
    raw = (formdata.get(ACTION) or "")[:200]
    if not raw:
        return False
    parts = raw.split()
    field = form._fields.get(parts[0]) if parts else None
    if isinstance(field, RowsField) and not field.fixed and len(parts) in (2, 3) and \
            parts[1] in ("add", "remove", "up", "down"):
        n = int(parts[2]) if len(parts) == 3 and parts[2].isdigit() and len(parts[2]) < 4 else None
        field.apply(parts[1], n)
    return True


ADD_LABEL = {True: _l("Add another option"), False: _l("Add another label")}
