-- V10: task recurrence rule, as JSONB.
--
-- Why: a task can repeat ({"frequency": "weekly", "interval": 1,
-- "days": ["mon"], "end_date": "..."}). JSONB because the rule's shape is
-- still evolving in the app; the CHECK only guarantees it is a JSON object,
-- so the app never reads a bare string or array. NULL means "does not
-- repeat".
ALTER TABLE tasks ADD COLUMN recurrence_rule jsonb;
ALTER TABLE tasks
    ADD CONSTRAINT ck_tasks_recurrence_rule_object
        CHECK (recurrence_rule IS NULL OR jsonb_typeof(recurrence_rule) = 'object');
