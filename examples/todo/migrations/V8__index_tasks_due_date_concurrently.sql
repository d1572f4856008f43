-- V8: index on tasks.due_date, built CONCURRENTLY (non-transactional).
--
-- Why: "overdue" and "due today" queries (WHERE due_date < now() ORDER BY
-- due_date) of users' open tasks. By now tasks is the app's largest table,
-- and a plain CREATE INDEX would block every write to it for the whole
-- build; CREATE INDEX CONCURRENTLY lets the app keep writing.
--
-- CONCURRENTLY cannot run inside a transaction block, so this script runs
-- outside one: V8__index_tasks_due_date_concurrently.sql.conf next to it says
-- executeInTransaction=false. Consequences, and why the script looks the way
-- it does:
--   * keep exactly one statement that matters per non-transactional script:
--     there is no rollback if something fails half-way;
--   * a failed or cancelled concurrent build leaves an INVALID index behind.
--     The DROP ... IF EXISTS first makes a re-run after such a failure
--     start clean instead of failing on "already exists" (IF NOT EXISTS
--     would silently keep the invalid index).
--   * the runner's lock_timeout applies: the build waits for transactions
--     that hold conflicting locks on tasks, and then for older snapshots.
DROP INDEX CONCURRENTLY IF EXISTS ix_tasks_user_id_due_date;
CREATE INDEX CONCURRENTLY ix_tasks_user_id_due_date
    ON tasks (user_id, due_date)
    WHERE due_date IS NOT NULL AND NOT completed;
