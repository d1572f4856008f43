-- U9: undo V9 (task reminders).
--
-- Drops the column and its index; reminders set since V9 are lost.
DROP INDEX ix_tasks_remind_at;
ALTER TABLE tasks DROP COLUMN remind_at;
