-- U2: undo V2 (create the tasks table).
--
-- Drops the table and every task in it.
DROP TABLE tasks;
