ALTER TABLE tasks ADD COLUMN priority task_priority;

-- Backfill: urgent-sounding titles become high priority; everything else normal.
UPDATE tasks
   SET priority = CASE WHEN title ILIKE '%urgent%' THEN 'high'::task_priority
                       ELSE 'normal'::task_priority END;

ALTER TABLE tasks
    ALTER COLUMN priority SET NOT NULL,
    ALTER COLUMN priority SET DEFAULT 'normal';
