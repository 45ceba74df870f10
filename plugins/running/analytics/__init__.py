"""Training analytics in pure Python (no numpy: fast cold starts, runs under Pyodide).

Modules, each about one thing:

* :mod:`.vdot` – Daniels/Gilbert VDOT, equivalent race times, training paces, Riegel.
* :mod:`.zones` – five heart-rate zones (Friel %LTHR, %HRmax, %HRR).
* :mod:`.clean`, :mod:`.geo`, :mod:`.prepare` – cleaning raw streams, pauses, distance.
* :mod:`.merge` – merging several sources' streams field by field with source ranges.
* :mod:`.gap` – grade-adjusted pace (Minetti 2002, Strava-style option).
* :mod:`.efficiency` – EF, core EF, aerobic decoupling.
* :mod:`.splits` – per-km splits.
* :mod:`.trimp` – Banister TRIMP and HRSS.
* :mod:`.record` – ``build_activity``: the full activity record from streams.
* :mod:`.load` – activity load, CTL/ATL/TSB, contributions, 30-day fitness change.
* :mod:`.trends` – durability, weekly volume and ramp, ACWR, monotony/strain, 80/20.
* :mod:`.snapshot` – the fitness snapshot the coach prints.
* :mod:`.units` – parsing and formatting distances, durations and paces.

Nothing is imported here, so ``import core`` stays fast; import the module you need.
"""
