"""Question types, registered by name (see base.py for what a type owns).

Every module in this package is imported, and so registers its types: adding a type is adding
its module (and its templates).
"""

import importlib
import pkgutil

from .base import REGISTRY, AnswerError, Parsed, field_name, get_type, types_where

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["REGISTRY", "AnswerError", "Parsed", "field_name", "get_type", "types_where"]
