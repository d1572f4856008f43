-- statements: 3
-- COPY ... FROM stdin: the data follows the statement, up to a line of \. (psql's format).
-- Flyway sends the data with the COPY; Tidemark's undo does not support COPY FROM STDIN
-- (docs/runner.md), and its splitter reads the data lines as SQL.
CREATE TABLE colours (id int, name text);
COPY colours (id, name) FROM stdin;
1	red; or crimson
2	it's blue
\.
DELETE FROM colours WHERE id = 2;
