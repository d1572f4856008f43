-- U11: undo V11 (tags and task_tags).
--
-- Drops both tables; every tag and tag assignment is lost.
DROP TABLE task_tags;
DROP TABLE tags;
