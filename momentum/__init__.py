"""Momentum: build personal AI coaches that run in your own cloud account.

This package is the public API. Plugin authors and generated coaches import only from
``momentum`` (and ``momentum.testing`` in their tests); everything else is internal and may
change. Names are loaded on first use, so ``import momentum`` stays cheap on a cold start.
"""

from __future__ import annotations

__version__ = "0.1.0"
