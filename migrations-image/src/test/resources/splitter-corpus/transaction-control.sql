-- statements: 7
-- Transaction control between statements (allowed in a script outside a transaction):
-- BEGIN and END here are statements, not the start and end of a body.
BEGIN;
CREATE TABLE atomic (id int);
COMMIT;
begin transaction isolation level serializable;
SELECT 'BEGIN ATOMIC' AS not_a_body;
END;
;;
SELECT 1
