-- V5: task ids change from uuid to text.
--
-- Why: tasks are now also created offline by the mobile client, which mints
-- its own string ids, and by importers that keep the source system's ids;
-- neither is always a UUID. Existing ids keep their value (uuid::text is the
-- canonical lower-case form) and new rows still get a random UUID as text by
-- default.
--
-- The foreign key that references tasks.id (messages.task_id, V4) must
-- change type with it: it is dropped, both columns are converted, and it is
-- re-created with the same name and rules. Indexes on the converted columns
-- (pk_tasks, ix_messages_task_id) are rebuilt by ALTER TABLE; both tables
-- are locked (ACCESS EXCLUSIVE) for the duration, which is short for the
-- table sizes of this app. Run in one transaction: either all of it or none.
ALTER TABLE messages DROP CONSTRAINT fk_messages_task_id;

ALTER TABLE tasks
    ALTER COLUMN id DROP DEFAULT,
    ALTER COLUMN id TYPE text USING id::text,
    ALTER COLUMN id SET DEFAULT gen_random_uuid()::text;

ALTER TABLE messages
    ALTER COLUMN task_id TYPE text USING task_id::text;

ALTER TABLE messages
    ADD CONSTRAINT fk_messages_task_id FOREIGN KEY (task_id)
        REFERENCES tasks (id) ON DELETE SET NULL;
