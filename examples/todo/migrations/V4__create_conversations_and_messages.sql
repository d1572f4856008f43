-- V4: conversations and messages for the chatbot (phase III).
--
-- Why: the chat assistant keeps its sessions (conversations) and their
-- messages. A message may point at the task it created or changed through a
-- tool call (messages.task_id); deleting that task keeps the message and
-- clears the link (ON DELETE SET NULL). Deleting a conversation deletes its
-- messages. role is checked so that a bug cannot store a role the model
-- prompt builder does not know.
CREATE TABLE conversations (
    id          uuid          NOT NULL DEFAULT gen_random_uuid(),
    user_id     text          NOT NULL,
    title       varchar(255),
    created_at  timestamptz   NOT NULL DEFAULT now(),
    updated_at  timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT pk_conversations PRIMARY KEY (id),
    CONSTRAINT fk_conversations_user_id FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE CASCADE
);

CREATE TABLE messages (
    id               uuid         NOT NULL DEFAULT gen_random_uuid(),
    conversation_id  uuid         NOT NULL,
    user_id          text         NOT NULL,
    task_id          uuid,
    role             varchar(20)  NOT NULL,
    content          text         NOT NULL,
    tool_calls       jsonb,
    created_at       timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT pk_messages PRIMARY KEY (id),
    CONSTRAINT fk_messages_conversation_id FOREIGN KEY (conversation_id)
        REFERENCES conversations (id) ON DELETE CASCADE,
    CONSTRAINT fk_messages_user_id FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT fk_messages_task_id FOREIGN KEY (task_id)
        REFERENCES tasks (id) ON DELETE SET NULL,
    CONSTRAINT ck_messages_role CHECK (role IN ('user', 'assistant', 'system'))
);

-- A user's conversation list, newest first; (user_id, created_at) also
-- serves lookups by user_id alone.
CREATE INDEX ix_conversations_user_id_created_at ON conversations (user_id, created_at);
-- A conversation's messages in order (also serves the FK's cascade).
CREATE INDEX ix_messages_conversation_id_created_at ON messages (conversation_id, created_at);
-- A user's message history.
CREATE INDEX ix_messages_user_id_created_at ON messages (user_id, created_at);
-- ON DELETE SET NULL from tasks without a scan of messages.
CREATE INDEX ix_messages_task_id ON messages (task_id) WHERE task_id IS NOT NULL;
