-- U10: undo V10 (task recurrence rule).
--
-- Drops the column and its CHECK; recurrence rules set since V10 are lost.
ALTER TABLE tasks DROP CONSTRAINT ck_tasks_recurrence_rule_object;
ALTER TABLE tasks DROP COLUMN recurrence_rule;
