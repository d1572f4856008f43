-- statements: 7
-- Dollar quoting: $$, tagged $fn$, a tag nested in another, dollar signs that are no quotes.
CREATE FUNCTION plain() RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  RETURN 1; -- a semicolon inside the body
END;
$$;

CREATE FUNCTION tagged() RETURNS text LANGUAGE plpgsql AS $fn$
BEGIN
  -- $$ inside a tagged body is plain text; so is $other$
  RETURN $$a;b$$ || $other$c;d$other$;
END;
$fn$;

CREATE FUNCTION nested() RETURNS void LANGUAGE plpgsql AS $outer$
BEGIN
  EXECUTE $inner$CREATE FUNCTION deep() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$$inner$;
END
$outer$;

-- $1 is a parameter, not a tag; a$b$c is one identifier.
CREATE FUNCTION add_one(int) RETURNS int LANGUAGE sql AS 'SELECT $1 + 1';
CREATE TABLE money$ (a$b$c int, "$$" int);
SELECT '$$ in a string;' AS s, $_$underscore tag;$_$ AS t, $T1$digits after the first;$T1$ AS u;
SELECT $body$ends at the end of the file; $body$
