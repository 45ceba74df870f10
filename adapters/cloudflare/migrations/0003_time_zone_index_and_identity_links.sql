-- Migration 3: time-zone index and identity links.
-- Generated from momentum.adapters.local.migrations; do not edit. Regenerate with
-- python -m momentum.adapters.cloudflare.d1_migrations --write

ALTER TABLE athletes ADD COLUMN timezone TEXT NOT NULL DEFAULT 'UTC';

UPDATE athletes SET timezone = COALESCE(json_extract(body, '$.timezone'), 'UTC');

CREATE INDEX athletes_by_timezone ON athletes (timezone, athlete_id);

CREATE TABLE identities (
            kind TEXT NOT NULL,
            external_id TEXT NOT NULL,
            athlete_id TEXT NOT NULL,
            PRIMARY KEY (kind, external_id)
        );

CREATE INDEX identities_by_athlete ON identities (athlete_id);

INSERT OR REPLACE INTO identities (kind, external_id, athlete_id)
            SELECT 'chat', json_extract(body, '$.chat_user_id'), athlete_id FROM athletes
            WHERE COALESCE(json_extract(body, '$.chat_user_id'), '') != '';

INSERT OR REPLACE INTO identities (kind, external_id, athlete_id)
            SELECT provider, CAST(json_extract(body, '$.provider_athlete_id') AS TEXT),
                athlete_id FROM tokens
            WHERE COALESCE(json_extract(body, '$.provider_athlete_id'), '') != '';
