"""``LoggingChat`` lives in core now (:mod:`momentum.core.runtime.chat`); kept importable here."""

from momentum.core.runtime.chat import LoggingChat

__all__ = ["LoggingChat"]
