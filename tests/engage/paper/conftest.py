"""Staff accounts for the paper and phone tests."""

from ..auth.conftest import staff  # noqa: F401  (fixture re-exported)
