"""``momentum demo``: a seeded runner simulator and the scenario that walks a coach through it.

- :mod:`.physiology` – the simulated runner's body (oxygen cost, heart rate, drift, lag).
- :mod:`.terrain` – seeded outdoor routes.
- :mod:`.sessions` – one run second by second: raw streams per device, merged.
- :mod:`.workouts` – the session generator (easy, long, intervals, treadmill …).
- :mod:`.training_log` – what the demo athlete did, day by day; :mod:`.athlete` – who.
- :mod:`.history` – the log played through the runner: the seeded history.
- :mod:`.records` / :mod:`.sync` – activity records by the real analytics, into storage.
- :mod:`.script` – the moments of the walk; :mod:`.runner` plays them through the coach.
- :mod:`.transcript` / :mod:`.effects` / :mod:`.summary` – what the athlete sees.
"""
