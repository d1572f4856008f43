-- statements: 3
-- A CASE nested in another CASE's THEN or ELSE inside a BEGIN ATOMIC body (the undo script
-- that broke the splitter before). Flyway 13's parser ends the body at the outer CASE's END.
CREATE FUNCTION sign_of(x int) RETURNS text LANGUAGE sql
BEGIN ATOMIC
  SELECT CASE WHEN x < 0 THEN 'negative'
              ELSE CASE WHEN x = 0 THEN 'zero' ELSE 'positive' END
         END;
  SELECT 'second statement of the body';
END;
CREATE FUNCTION grade(x int) RETURNS text LANGUAGE sql
BEGIN ATOMIC
  SELECT CASE WHEN x > 0 THEN CASE WHEN x > 9 THEN 'many' ELSE 'some' END ELSE 'none' END;
END;
SELECT sign_of(0) || grade(10)
