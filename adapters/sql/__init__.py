"""SQL shared by the stores that speak SQLite's dialect: the local SQLite file and D1
(which is SQLite). The schema is :mod:`momentum.adapters.local.migrations` (D1's wrangler
migration files are generated from it); the statements are :mod:`.statements`."""
