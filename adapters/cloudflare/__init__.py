"""Cloudflare adapter: a Python Worker + D1 + R2 + Queues + a cron trigger.

- :mod:`.d1` (the statement-runner seam), :mod:`.d1_binding` (the Worker's D1 binding),
  :mod:`.d1_http` (D1's HTTP query API), :mod:`.d1_storage` (the Storage port, on the SQL
  shared with SQLite in :mod:`momentum.adapters.sql.statements`), :mod:`.d1_migrations`;
- :mod:`.r2_blob` (Blob), :mod:`.secrets` (Worker secrets), :mod:`.queue_deferral`
  (Deferral on Queues);
- :mod:`.handlers` (fetch / scheduled / queue → core events → ``dispatch``),
  :mod:`.bootstrap` (the composition root), :mod:`.entry` (``class Default``, Pyodide only),
  :mod:`.transport` (``fetch`` in a Worker, httpx elsewhere);
- build-time: :mod:`.imports` (the Pyodide import check), :mod:`.package` (wrangler
  ``deploy --dry-run``); tests: :mod:`.testing` (wrangler's local D1/R2/Queue).

Nothing here imports ``js``/``pyodide``/``workers`` at import time except :mod:`.entry`.
"""
