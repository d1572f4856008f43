-- V7: task due dates.
--
-- Why: "overdue" and "due today" views (phase V). Nullable: most tasks have
-- no due date, and adding a nullable column without a default only touches
-- the catalog, not the rows, so it is instant on a large table. Its index is
-- built by V8, CONCURRENTLY, in a migration of its own.
ALTER TABLE tasks ADD COLUMN due_date timestamptz;
