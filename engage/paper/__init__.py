"""Paper and phone: a printable consultation (PDF) and staff typing in the answers given that way."""
