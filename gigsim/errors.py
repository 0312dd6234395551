"""Errors gigsim reports to its users: one clear sentence, never a traceback."""

from __future__ import annotations


class GigsimError(Exception):
    """Base class: an error with a message meant for a person."""

    exit_code = 1


class InputError(GigsimError):
    """Bad input (a file, a field, a flag). Exit code 2."""

    exit_code = 2


class ScenarioError(InputError):
    """A scenario or experiment file that fails to load or validate.

    `source` is the file, `field` the dotted path of the offending field
    (empty when the whole file is at fault).
    """

    def __init__(self, source: str, field: str, message: str):
        self.source = str(source)
        self.field = field
        self.message = message
        where = f"{self.source}: {field}: " if field else f"{self.source}: "
        super().__init__(where + message)


class RunFailure(GigsimError):
    """A failure while a simulation was running. Exit code 1."""
