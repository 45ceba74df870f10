-- Migration 2: deferred jobs.
-- Generated from momentum.adapters.local.migrations; do not edit. Regenerate with
-- python -m momentum.adapters.cloudflare.d1_migrations --write

CREATE TABLE deferred_jobs (
            job_id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            job_key TEXT NOT NULL,
            payload TEXT NOT NULL,
            due_us INTEGER NOT NULL,
            lease_us INTEGER NOT NULL DEFAULT 0,
            lease_token TEXT NOT NULL DEFAULT '',
            deliveries INTEGER NOT NULL DEFAULT 0,
            created_us INTEGER NOT NULL
        );

CREATE INDEX deferred_jobs_by_due ON deferred_jobs (due_us, job_id);
