"""Workshop pages: the tablets' kiosk, the facilitator's management pages, the room display.

Importing this package registers every route on the blueprint."""

from . import kiosk, manage, room  # noqa: F401
