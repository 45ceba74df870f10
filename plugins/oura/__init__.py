"""Oura: sleep, readiness, activity, resting heart rate and workouts from the Oura ring
(API v2, OAuth2 with rotating refresh tokens, signed webhooks). Built only on the public
``momentum`` API; see ``docs/sources/oura.md``."""
