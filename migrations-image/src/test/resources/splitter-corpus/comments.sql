-- statements: 4
-- Comments: line comments and nested block comments, with semicolons and quotes inside.
/* a block comment; with a semicolon
   /* nested; still the comment */
   and a quote ' that does not open a string; */
CREATE TABLE a (id int); -- trailing comment; with a semicolon
-- a comment with a quote ' and a dollar $$ that open nothing;
CREATE TABLE b (
  id int, -- a column comment;
  note text /* inline; */ DEFAULT '-- not a comment; /* not either */'
);
SELECT 1 /* before the semicolon */;
SELECT 2-- a comment right after the statement;
;
/* only a comment after the last statement; */
-- and a line comment
