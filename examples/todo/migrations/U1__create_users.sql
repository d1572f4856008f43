-- U1: undo V1 (create the users table).
--
-- Back to an empty schema. Destroys every user row: only run it against a
-- database whose data you can lose, or after a backup.
DROP TABLE users;
