-- A long data migration: long enough for a test to act while it runs.
SELECT pg_sleep(6);
ALTER TABLE accounts ADD COLUMN verified boolean NOT NULL DEFAULT false;
