"""A sleep coach as a plugin: nights from Oura and Apple Health, sleep metrics computed by
code (duration, efficiency, debt, the Sleep Regularity Index, timing consistency, social
jet lag), a morning check-in, weekly bed and wake targets, an evening wind-down nudge and a
code-decided screen for symptoms that need a doctor.

It imports only the public ``momentum`` API (and ``momentum.core.observations``), as a
plugin written outside this repository would.
"""
