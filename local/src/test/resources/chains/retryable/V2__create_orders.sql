CREATE TABLE orders (id bigserial PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts(id), total numeric(10,2) NOT NULL);
INSERT INTO orders (account_id, total) SELECT id, 10.50 FROM accounts;
