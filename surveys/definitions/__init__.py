"""Consultation definitions as files (YAML or JSON): validate, import, export.

A definition is the whole structure of a consultation: settings, pages, questions. Teams keep
them in version control; the demo consultation is ``demo.yaml`` beside this module.
Errors name the line of the file they are about, so an editor can find them.
"""

from __future__ import annotations

from pathlib import Path

from .parse import DefinitionError, parse_definition
from .store import create_from_definition, export_definition

DEMO = Path(__file__).with_name("demo.yaml")

__all__ = ["DEMO", "DefinitionError", "create_from_definition", "export_definition",
           "parse_definition"]
