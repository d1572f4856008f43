CREATE TABLE accounts (id bigserial PRIMARY KEY, email text NOT NULL UNIQUE);
INSERT INTO accounts (email) VALUES ('ada@example.com'), ('grace@example.com');
