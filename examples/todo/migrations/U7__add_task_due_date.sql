-- U7: undo V7 (task due dates).
--
-- Drops the column; due dates set since V7 are lost.
ALTER TABLE tasks DROP COLUMN due_date;
