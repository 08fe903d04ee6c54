"""How addresses name rows: ``<id:run_id>`` is a number the database can hold, or nothing at all."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

#: The largest row id the database holds: ids are INTEGER columns, which PostgreSQL keeps in 32 bits
#: (SQLite takes up to 2**63 - 1, but the same rows must fit both). A bigger number names nothing,
#: and is refused before it reaches the database, which fails on it ("integer out of range").
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """A row's id (or a number kept beside it, such as a version number) in an address: ASCII
    digits from 1 to ``MAX_ID``. Anything else names no row, so the address is not found (404)
    rather than reaching the database, which fails on a bigger number (a 500)."""

    regex = r"[0-9]+"  # not \d, which also takes "٣" and other scripts' digits

    def __init__(self, map) -> None:
        super().__init__(map, min=1, max=MAX_ID)


def id_from(value: str | None) -> int:
    """The row a form's field names, read by the same rule as an address: its id when written in
    ASCII digits from 1 to ``MAX_ID``, else 0 (no row's id), which the lookup then refuses with its
    own message. ``str.isdigit`` takes "²", which ``int`` refuses, and ``int`` reads numbers the
    database cannot take: either was a server error."""
    if not value or not value.isascii() or not value.isdigit() or len(value) > len(str(MAX_ID)):
        return 0
    number = int(value)
    return number if number <= MAX_ID else 0


def init_app(app: Flask) -> None:
    """Register the converter: before any blueprint, whose rules are compiled as it is registered."""
    app.url_map.converters["id"] = IdConverter
