-- Migration 5: plans by key.
-- Generated from momentum.adapters.local.migrations; do not edit. Regenerate with
-- python -m momentum.adapters.cloudflare.d1_migrations --write

CREATE TABLE plans_by_key (
            athlete_id TEXT NOT NULL,
            plan_key TEXT NOT NULL DEFAULT '',
            version INTEGER NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (athlete_id, plan_key)
        );

INSERT INTO plans_by_key (athlete_id, plan_key, version, body)
            SELECT athlete_id, '', version, body FROM plans;

DROP TABLE plans;

ALTER TABLE plans_by_key RENAME TO plans;
