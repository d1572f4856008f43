-- V3: performance indexes on tasks.
--
-- Why: the app's two hot queries on tasks: the dashboard's "my open / done
-- tasks" (user_id, completed) and lists sorted by creation date (user_id,
-- created_at DESC). Both lead with user_id, so either one also serves "all
-- my tasks" and the ON DELETE CASCADE from users (PostgreSQL does not index
-- foreign keys by itself); a separate index on user_id alone would only cost
-- writes.
-- The tasks table is young and small at this point of the history, so plain
-- (locking) CREATE INDEX inside the migration's transaction is fine; see V8
-- for an index built CONCURRENTLY on a large table.
CREATE INDEX ix_tasks_user_id_completed ON tasks (user_id, completed);
CREATE INDEX ix_tasks_user_id_created_at ON tasks (user_id, created_at DESC);
