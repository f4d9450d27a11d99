"""One exception tree for the whole domain.

Every error a user can cause (a broken catalogue, a rejected ballot, an unknown join code) is a
subclass of :class:`ConflictsError`, so the CLI and the UI can turn it into a clear message instead
of a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


class ConflictsError(Exception):
    """Base class of every error the user can cause."""


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in a catalogue, with its position.

    ``line`` and ``column`` are 1-based; 0 means "position unknown" (e.g. the file is empty).
    ``path`` is the dotted location of the field, e.g. ``interactions[2].score``.
    """

    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{self.file}:{self.line}:{self.column}: {where}{self.message}"

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message,
        }


class CatalogueError(ConflictsError):
    """A catalogue failed validation; ``problems`` lists every problem found, in file order."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
