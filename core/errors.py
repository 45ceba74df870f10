"""Errors that carry a message fit to show a person: what was wrong and where."""

from __future__ import annotations


class MomentumError(Exception):
    """Base class for errors the CLI prints as one line."""


class InputError(MomentumError):
    """Untrusted input (a file, webhook or chat message) was rejected.

    ``source`` names the file or request; the message says why.
    """

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class ConfigError(MomentumError):
    """Configuration is missing or wrong."""


class NotFoundError(MomentumError):
    """A record the caller asked for does not exist."""
