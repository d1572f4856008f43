-- statements: 7
-- CREATE RULE with several actions in parentheses, separated by semicolons.
CREATE TABLE tasks (id int);
CREATE TABLE counters (name text, n int);
CREATE TABLE log (what text);
CREATE RULE log_insert AS ON INSERT TO tasks DO ALSO (
  INSERT INTO log VALUES ('inserted; one');
  UPDATE counters SET n = n + 1 WHERE name = 'tasks';
);
CREATE RULE no_delete AS ON DELETE TO tasks DO INSTEAD NOTHING;
SELECT (1); SELECT ((2))
