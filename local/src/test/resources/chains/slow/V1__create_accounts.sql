CREATE TABLE accounts (id bigserial PRIMARY KEY, email text NOT NULL UNIQUE);
