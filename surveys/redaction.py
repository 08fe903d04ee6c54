"""Stored answers, and what earlier analyses made of them, redacted again, for a release whose
redaction catches more.

``answer.text_redacted`` is the only copy of free text anyone but its writer reads or exports.
A migration that ships new redaction rules calls :func:`redact_stored_answers`, so old answers
are as safe as new ones, and its release sets :data:`RULES` to its revision. An analysis made before then
learnt from the older copies: a word the new rules take out (a name) may be in its labels and
keywords, and a hash of it in its kept model. ``engage db upgrade`` then calls
:func:`surveys.theme_runs.redact_earlier_analysis`, which takes such words out of each one as a
withdrawal does.
"""

from __future__ import annotations

import sqlalchemy as sa

from analysis.redact import redact

BATCH = 5000

#: The migration that last changed what redaction catches; each analysis keeps the value it was
#: made or last redacted under (``metrics["redacted_as_of"]``).
RULES = "0033"
RULES_KEY = "redacted_as_of"

_READ = sa.text("SELECT id, text, text_redacted FROM answer WHERE text IS NOT NULL AND id > :after "
                "ORDER BY id LIMIT :batch")
_WRITE = sa.text("UPDATE answer SET text_redacted = :redacted WHERE id = :id")


def redact_stored_answers(conn: sa.Connection) -> int:
    """Make the redacted copy of every stored answer again with this release's rules, in batches;
    write only the rows whose copy changes. Returns how many changed."""
    after, changed = 0, 0
    while rows := conn.execute(_READ, {"after": after, "batch": BATCH}).all():
        new = [{"id": id_, "redacted": redacted} for id_, text, stored in rows
               if (redacted := redact(text) if text else None) != stored]
        if new:
            conn.execute(_WRITE, new)
            changed += len(new)
        after = rows[-1][0]
    if changed and sa.inspect(conn).has_table("theme_tally"):
        # A theme's kept quotable answers were chosen by their placeholders: choose them again.
        conn.execute(sa.text("DELETE FROM theme_tally"))
    return changed

