"""This coach's own plugins (loaded by its tests; add an entry point to ship one)."""
