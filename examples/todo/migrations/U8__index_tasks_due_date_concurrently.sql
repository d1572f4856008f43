-- U8: undo V8 (the due-date index), CONCURRENTLY (non-transactional).
--
-- DROP INDEX CONCURRENTLY does not block reads or writes of tasks while it
-- waits for running transactions; like V8 it cannot run in a transaction
-- block, hence U8__index_tasks_due_date_concurrently.sql.conf with
-- executeInTransaction=false. IF EXISTS makes a re-run after a failure
-- harmless.
DROP INDEX CONCURRENTLY IF EXISTS ix_tasks_user_id_due_date;
