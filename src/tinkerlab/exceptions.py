"""Every error tinkerlab raises on purpose, in one tree.

::

    TinkerlabError                       base of everything below; never raised itself
    ├── DatasetError (ValueError)        a file or table cannot be used as it is
    │   └── SchemaError                  a column or the target does not fit the task
    ├── RecipeError (ValueError)         an unknown model, parameter, value or setting
    ├── InputError (ValueError)          a value handed to the library is empty or malformed
    ├── ArtifactError (ValueError)       a saved model cannot be written or loaded as it is
    │   └── UntrustedTypesError          it holds types nobody said to trust (names them)
    ├── ServiceError                     a model service refused a request or is unreachable
    ├── JournalError (RuntimeError)      the journal database cannot be opened or written
    └── NotFoundError (LookupError)      a run, note or other record does not exist

Every message says three things: what happened, the offending value, and the fix.
The command line prints the message as one paragraph, without a traceback, and exits
with code 2 for a :class:`UsageError` (bad input) and 1 for anything else.
"""

from __future__ import annotations


class TinkerlabError(Exception):
    """Base class of every error tinkerlab raises on purpose."""

    #: Exit code of the command line when this error stops it.
    exit_code: int = 1


class UsageError(TinkerlabError):
    """The input was wrong; the user can fix it. The command line exits with 2."""

    exit_code = 2


class DatasetError(UsageError, ValueError):
    """A file or table cannot be used as it is (missing, empty, malformed...)."""


class SchemaError(DatasetError):
    """A column or the target does not fit the task (single class, all missing...)."""


class RecipeError(UsageError, ValueError):
    """An unknown model, parameter or setting, or a value outside its range."""


class InputError(UsageError, ValueError):
    """A value handed to the library is empty or malformed (an empty note, a bad plot name...)."""


class NotFoundError(UsageError, LookupError):
    """A run, note or other record asked for by id does not exist."""


class ArtifactError(UsageError, ValueError):
    """A saved model (an artifact directory) cannot be written or loaded as it is."""


class UntrustedTypesError(ArtifactError):
    """An artifact holds types that are not trusted; ``types`` names them."""

    def __init__(self, message: str, types: list[str]) -> None:
        super().__init__(message)
        self.types = types


class ServiceError(UsageError):
    """A model service refused a request (bad input, a wrong token) or cannot be reached.

    ``status`` is the HTTP status code, or 0 when no answer came.
    """

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


class JournalError(TinkerlabError, RuntimeError):
    """The journal database cannot be opened, migrated or written."""


__all__ = [
    "ArtifactError",
    "DatasetError",
    "InputError",
    "JournalError",
    "NotFoundError",
    "RecipeError",
    "SchemaError",
    "ServiceError",
    "TinkerlabError",
    "UntrustedTypesError",
    "UsageError",
]
