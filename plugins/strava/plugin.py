"""Built-in Strava data source (being written)."""
