-- V1: create the users table.
--
-- Why: every other table of the todo app belongs to a user. Ids are text
-- because the app's identity provider issues opaque string ids (not UUIDs);
-- the unique constraint on email serves "log in by email" without an extra
-- index.
CREATE TABLE users (
    id          text          NOT NULL,
    email       varchar(255)  NOT NULL,
    name        varchar(255),
    created_at  timestamptz   NOT NULL DEFAULT now(),
    updated_at  timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT pk_users PRIMARY KEY (id),
    CONSTRAINT uq_users_email UNIQUE (email)
);
