"""A cheap, offline token estimate for budgeting prompts.

Core cannot carry a tokenizer (import time, Pyodide), so context assembly budgets with
an estimate tuned to err high for o200k-style BPE vocabularies: about four characters
per token for prose, but one token per digit group, symbol and non-ASCII glyph, which is
where coach context (tables of numbers, ✓ ○ —) spends its tokens. ``benchmarks/
coach_tokens.py`` compares it with the real o200k_base counts.
"""

from __future__ import annotations

import math
import re

_WORD = re.compile(r"[A-Za-z]+")
_NUMBER = re.compile(r"\d{1,3}")
_OTHER = re.compile(r"[^\sA-Za-z\d]")


def estimate_tokens(text: str) -> int:
    """An upper-leaning estimate of the tokens ``text`` costs."""
    if not text:
        return 0
    words = sum(max(1, math.ceil(len(w) / 5)) for w in _WORD.findall(text))
    numbers = len(_NUMBER.findall(text))
    other = sum(1 if ch.isascii() else 2 for ch in _OTHER.findall(text))
    return words + numbers + other
