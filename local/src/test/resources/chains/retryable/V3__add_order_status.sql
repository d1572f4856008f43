-- Fails while an account named blocked@example.com exists: a failure someone can clear in the data.
DO $$
BEGIN
  IF EXISTS (SELECT FROM accounts WHERE email = 'blocked@example.com') THEN
    RAISE EXCEPTION 'blocked@example.com is present';
  END IF;
END $$;
ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'open';
