-- V11: tags, and the task_tags join table.
--
-- Why: users label tasks ("work", "home") and filter by label (phase V).
-- Tags belong to a user; a name is unique per user (uq_tags_user_id_name,
-- whose index also serves "my tags" lookups by user_id). task_tags links
-- tasks and tags many-to-many; its primary key (task_id, tag_id) prevents
-- duplicates and serves "tags of a task", ix_task_tags_tag_id serves "tasks
-- with a tag". Deleting a task or a tag deletes its links. task_id is text:
-- task ids are text since V5.
CREATE TABLE tags (
    id          text         NOT NULL DEFAULT gen_random_uuid()::text,
    user_id     text         NOT NULL,
    name        varchar(50)  NOT NULL,
    color       varchar(7)   NOT NULL DEFAULT '#007bff',
    created_at  timestamptz  NOT NULL DEFAULT now(),
    updated_at  timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT pk_tags PRIMARY KEY (id),
    CONSTRAINT fk_tags_user_id FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT uq_tags_user_id_name UNIQUE (user_id, name),
    CONSTRAINT ck_tags_color CHECK (color ~ '^#[0-9A-Fa-f]{6}$')
);

CREATE TABLE task_tags (
    task_id     text         NOT NULL,
    tag_id      text         NOT NULL,
    created_at  timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT pk_task_tags PRIMARY KEY (task_id, tag_id),
    CONSTRAINT fk_task_tags_task_id FOREIGN KEY (task_id)
        REFERENCES tasks (id) ON DELETE CASCADE,
    CONSTRAINT fk_task_tags_tag_id FOREIGN KEY (tag_id)
        REFERENCES tags (id) ON DELETE CASCADE
);

CREATE INDEX ix_task_tags_tag_id ON task_tags (tag_id);
