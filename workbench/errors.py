"""The one family of errors the workbench raises on purpose.

Every error names the file (and, where it helps, the entry) and the reason, so
the command line can print it as it is. ``cli.py`` catches ``WorkbenchError``
and turns it into exit code 2; anything else is a bug and keeps its traceback.
"""
from __future__ import annotations

from pathlib import Path


class WorkbenchError(Exception):
    """Base class: a problem with the user's files or arguments, not a bug."""


class InputError(WorkbenchError):
    """A file (or one record of it) that cannot be read; carries path and reason."""

    def __init__(self, path: str | Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


class StoreError(WorkbenchError):
    """The store cannot be read or written; the message says which file and why."""


class ReferenceDataError(WorkbenchError, ValueError):
    """A reference file is missing, unreadable or has a malformed entry."""


class UsageError(WorkbenchError, ValueError):
    """An argument the caller gave cannot be used (e.g. a date that is not YYYY-MM-DD)."""
