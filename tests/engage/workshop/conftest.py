"""Fixtures of the workshop tests: the demo consultation and a workshop of three tables on it."""

import pytest

from ...factories import demo_consultation
from .helpers import make_workshop


@pytest.fixture
def demo(session):
    return demo_consultation(session)


@pytest.fixture
def workshop(session, demo):
    return make_workshop(session, demo)
