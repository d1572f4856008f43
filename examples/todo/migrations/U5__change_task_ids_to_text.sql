-- U5: undo V5 (task ids back from text to uuid).
--
-- Converts tasks.id and messages.task_id back to uuid and restores the
-- default gen_random_uuid(). This only works while every task id is a valid
-- UUID: if the app has already stored other ids, the cast fails, the whole
-- undo rolls back and the database stays at V5, with nothing changed. Such
-- rows have to be re-keyed (or the schema restored from the backup taken
-- before V5) first.
ALTER TABLE messages DROP CONSTRAINT fk_messages_task_id;

ALTER TABLE tasks
    ALTER COLUMN id DROP DEFAULT,
    ALTER COLUMN id TYPE uuid USING id::uuid,
    ALTER COLUMN id SET DEFAULT gen_random_uuid();

ALTER TABLE messages
    ALTER COLUMN task_id TYPE uuid USING task_id::uuid;

ALTER TABLE messages
    ADD CONSTRAINT fk_messages_task_id FOREIGN KEY (task_id)
        REFERENCES tasks (id) ON DELETE SET NULL;
