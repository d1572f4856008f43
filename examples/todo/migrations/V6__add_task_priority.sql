-- V6: task priority (low, medium, high, urgent), with a data backfill.
--
-- Why: users sort and filter tasks by priority (phase V).
--
-- Done the two-phase way the team's migration guide asks for when a NOT NULL
-- column is added to a table that already has rows:
--   1. add the column nullable, with the default for new rows;
--   2. backfill the existing rows from the data they already have;
--   3. only then set NOT NULL and add the CHECK.
-- The backfill: open tasks whose title starts with "urgent" or "asap" (the
-- convention users followed before there was a priority) become 'urgent';
-- everything else becomes 'medium', the app's default.
-- All of it runs in the migration's single transaction, so readers see
-- either no column or a fully backfilled one.
ALTER TABLE tasks ADD COLUMN priority varchar(20);
ALTER TABLE tasks ALTER COLUMN priority SET DEFAULT 'medium';

UPDATE tasks
   SET priority = CASE
                    WHEN NOT completed AND title ~* '^\s*(urgent|asap)\M' THEN 'urgent'
                    ELSE 'medium'
                  END
 WHERE priority IS NULL;

ALTER TABLE tasks ALTER COLUMN priority SET NOT NULL;
ALTER TABLE tasks
    ADD CONSTRAINT ck_tasks_priority
        CHECK (priority IN ('low', 'medium', 'high', 'urgent'));

-- "My urgent/high tasks" on the dashboard.
CREATE INDEX ix_tasks_user_id_priority ON tasks (user_id, priority);
