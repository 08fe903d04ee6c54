"""Staff accounts for the publication tests."""

from ..auth.conftest import staff  # noqa: F401  (fixture re-exported)
