-- U12: undo V12 (recurring_tasks, its trigger and set_updated_at()).
--
-- Drops the trigger, the table (with its indexes) and the trigger function,
-- in that order; every recurring-task template is lost.
DROP TRIGGER trigger_update_recurring_tasks_updated_at ON recurring_tasks;
DROP TABLE recurring_tasks;
DROP FUNCTION set_updated_at();
