-- Broken on purpose: the column type does not exist, so PostgreSQL rejects the migration.
ALTER TABLE orders ADD COLUMN status order_status_that_does_not_exist;
