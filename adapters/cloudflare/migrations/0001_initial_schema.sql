-- Migration 1: initial schema.
-- Generated from momentum.adapters.local.migrations; do not edit. Regenerate with
-- python -m momentum.adapters.cloudflare.d1_migrations --write

CREATE TABLE athletes (
            athlete_id TEXT PRIMARY KEY,
            body TEXT NOT NULL
        );

CREATE TABLE activities (
            athlete_id TEXT NOT NULL,
            activity_id TEXT NOT NULL,
            start_us INTEGER NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (athlete_id, activity_id)
        );

CREATE INDEX activities_by_start ON activities (athlete_id, start_us, activity_id);

CREATE TABLE streams (
            athlete_id TEXT NOT NULL,
            activity_id TEXT NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (athlete_id, activity_id)
        );

CREATE TABLE plans (
            athlete_id TEXT PRIMARY KEY,
            version INTEGER NOT NULL,
            body TEXT NOT NULL
        );

CREATE TABLE messages (
            athlete_id TEXT NOT NULL,
            message_id TEXT NOT NULL,
            at_us INTEGER NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (athlete_id, message_id)
        );

CREATE INDEX messages_by_time ON messages (athlete_id, at_us, message_id);

CREATE TABLE reflections (
            athlete_id TEXT NOT NULL,
            reflection_id TEXT NOT NULL,
            at_us INTEGER NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (athlete_id, reflection_id)
        );

CREATE INDEX reflections_by_time ON reflections (athlete_id, at_us, reflection_id);

CREATE TABLE notes (
            athlete_id TEXT NOT NULL,
            note_id TEXT NOT NULL,
            activity_id TEXT NOT NULL,
            at_us INTEGER NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (athlete_id, note_id)
        );

CREATE INDEX notes_by_activity ON notes (athlete_id, activity_id, at_us, note_id);

CREATE TABLE memory (
            athlete_id TEXT NOT NULL,
            memory_id TEXT NOT NULL,
            created_us INTEGER NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (athlete_id, memory_id)
        );

CREATE INDEX memory_by_created ON memory (athlete_id, created_us, memory_id);

CREATE TABLE usage (
            usage_id TEXT PRIMARY KEY,
            athlete_id TEXT NOT NULL,
            at_us INTEGER NOT NULL,
            body TEXT NOT NULL
        );

CREATE INDEX usage_by_athlete ON usage (athlete_id, at_us, usage_id);

CREATE INDEX usage_by_time ON usage (at_us, usage_id);

CREATE TABLE tokens (
            athlete_id TEXT NOT NULL,
            provider TEXT NOT NULL,
            version INTEGER NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (athlete_id, provider)
        );

CREATE TABLE claims (
            claim_key TEXT PRIMARY KEY,
            expires_us INTEGER NOT NULL
        );
