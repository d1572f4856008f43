-- U3: undo V3 (performance indexes on tasks).
--
-- Queries keep working, only slower.
DROP INDEX ix_tasks_user_id_created_at;
DROP INDEX ix_tasks_user_id_completed;
