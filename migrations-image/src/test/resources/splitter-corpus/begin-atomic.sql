-- statements: 9
-- SQL-standard function bodies (PostgreSQL 14+): BEGIN ATOMIC ... END, with CASE ... END inside.
CREATE TABLE tasks (due date, status text);
CREATE TABLE archive (LIKE tasks);
CREATE TABLE counters (end_date date, case_count int);
CREATE TABLE t ("END;col" text);

CREATE FUNCTION sign_of(x int) RETURNS text LANGUAGE sql
BEGIN ATOMIC
  SELECT CASE WHEN x < 0 THEN 'negative' WHEN x = 0 THEN 'zero' ELSE 'positive' END;
END;

CREATE PROCEDURE archive(cutoff date) LANGUAGE sql
begin atomic
  INSERT INTO archive SELECT * FROM tasks WHERE due < cutoff;
  DELETE FROM tasks WHERE due < cutoff AND (CASE status WHEN 'done' THEN true ELSE false END);
  UPDATE counters SET end_date = cutoff, case_count = case_count + 1; -- END and CASE in words
end;

CREATE OR REPLACE FUNCTION weird() RETURNS text LANGUAGE sql
BEGIN /* a comment between */ ATOMIC
  SELECT 'END; CASE;' || "END;col" FROM t; -- END in a string and a quoted identifier
  SELECT (SELECT CASE WHEN true THEN 'x' END) || CASE WHEN false THEN 'y' ELSE 'z' END;
END;

CREATE FUNCTION empty_atomic() RETURNS void LANGUAGE sql BEGIN ATOMIC END;
SELECT CASE WHEN 1 = 1 THEN 'outside a body' END
