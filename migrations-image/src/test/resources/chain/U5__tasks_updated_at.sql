DROP VIEW open_tasks;
DROP TRIGGER tasks_touch_updated_at ON tasks;
DROP FUNCTION touch_updated_at();
ALTER TABLE tasks DROP COLUMN updated_at;
