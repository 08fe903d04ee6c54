"""Submitted fields as the question types read them: each name may carry several values.

The web layer hands the types Werkzeug's request form, which reads the same way; the kiosk's JSON
answers become a ``FormData`` here, so ``surveys`` needs no web framework.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping


class FormData(Mapping):
    """Field name -> values, in the order given. ``get`` gives the first value, ``getlist`` all."""

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()):
        self._values: dict[str, list[str]] = {}
        for name, value in pairs:
            self.add(name, value)

    def add(self, name: str, value: str) -> None:
        self._values.setdefault(name, []).append(value)

    def __getitem__(self, name: str) -> str:
        return self._values[name][0]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def getlist(self, name: str) -> list[str]:
        return list(self._values.get(name, []))
