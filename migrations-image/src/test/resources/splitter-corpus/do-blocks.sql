-- statements: 4
-- DO blocks: anonymous code, with nested BEGIN/END, EXCEPTION and CASE statements.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app') THEN
    CREATE ROLE app;
  END IF;
END
$$;

DO LANGUAGE plpgsql $do$
DECLARE
  n int := 0;
BEGIN
  BEGIN
    PERFORM 1 / n;
  EXCEPTION WHEN division_by_zero THEN
    RAISE NOTICE 'divided by zero; carrying on';
  END;
  CASE n WHEN 0 THEN RAISE NOTICE 'zero'; ELSE NULL; END CASE;
END
$do$;

do $$ begin perform pg_sleep(0); end $$;
DO 'BEGIN RAISE NOTICE ''a quoted body; old style''; END';
