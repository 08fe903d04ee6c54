"""The workspace's pages, one module per area.

Importing this package registers every route on the blueprint."""

from . import (  # noqa: F401
    admin,
    consultations,
    copying,
    entry,
    mail_outbox,
    pages,
    paper,
    publication,
    questions,
    response_export,
    responses,
    safeguarding,
    welsh,
)
