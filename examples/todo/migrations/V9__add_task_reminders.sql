-- V9: task reminders.
--
-- Why: the reminder job runs every few minutes and looks for open tasks
-- whose remind_at falls in the next window (phase V). The partial index
-- holds only those rows, so it stays small however many tasks are done.
-- Built in the migration's transaction: the column was just added and is
-- NULL everywhere, so the build writes an empty index, but it still reads
-- the table once while writes to tasks wait. That is a short pause at this
-- app's size; on a much larger table, build it CONCURRENTLY in a script of
-- its own, as V8 does.
ALTER TABLE tasks ADD COLUMN remind_at timestamptz;

CREATE INDEX ix_tasks_remind_at ON tasks (remind_at)
    WHERE remind_at IS NOT NULL AND NOT completed;
