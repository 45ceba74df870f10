-- Migration 4: claim holders and job hand-offs.
-- Generated from momentum.adapters.local.migrations; do not edit. Regenerate with
-- python -m momentum.adapters.cloudflare.d1_migrations --write

ALTER TABLE claims ADD COLUMN holder TEXT NOT NULL DEFAULT '';

ALTER TABLE deferred_jobs ADD COLUMN handed_off INTEGER NOT NULL DEFAULT 0;
