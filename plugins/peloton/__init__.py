"""Peloton: rides, treadmill runs and walks, rowing and strength classes, polled from
Peloton's unofficial API (it may change or break without notice). Built only on the public
``momentum`` API; see ``docs/sources/peloton.md``."""
