DROP TABLE tasks;
DROP TYPE task_priority;
