"""Shared column helpers for the domain tables."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, Column, DateTime


def utcnow() -> datetime:
    """Naive UTC now: stored the same way on SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)


def json_column(nullable: bool = True) -> Column:
    """A JSON column (native JSON on PostgreSQL, text on SQLite)."""
    return Column(JSON, nullable=nullable)


def time_column(nullable: bool = True, index: bool = False) -> Column:
    return Column(DateTime(), nullable=nullable, index=index)
