"""Daily observations for plugins: keep and read the numbers a source or a domain keeps
per athlete, kind and day (``momentum.core.observations``, re-exported as public API)."""

from momentum.core.observations import Observation, keep, read, read_days, series_key

__all__ = ["Observation", "keep", "read", "read_days", "series_key"]
