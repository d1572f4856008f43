-- U6: undo V6 (task priority).
--
-- Drops the column with its CHECK, default and index. The priorities users
-- set since V6 are lost; a re-run of V6 backfills them again from the titles.
DROP INDEX ix_tasks_user_id_priority;
ALTER TABLE tasks DROP CONSTRAINT ck_tasks_priority;
ALTER TABLE tasks DROP COLUMN priority;
