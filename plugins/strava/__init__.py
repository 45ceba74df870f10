"""The built-in Strava data source, on stravalib.

- :mod:`.source` answers ``/strava/webhook`` (the ``hub.challenge`` GET and event POSTs)
  within Strava's two seconds and defers the work;
- :mod:`.sync` is that work: fetch the activity and its streams, build the record,
  store it, and let the coach review it; updates, deletes and deauthorisation too;
- :mod:`.tokens` keeps OAuth tokens fresh without ever losing a rotated refresh token;
- :mod:`.ratelimit` reads Strava's rate-limit headers and backs off;
- :mod:`.oauth`, :mod:`.subscriptions`, :mod:`.backfill` and :mod:`.cli` are the
  ``momentum strava …`` commands.

stravalib is imported inside the functions that call Strava, so loading the plugin (which
every ``momentum`` command does) stays cheap.
"""
