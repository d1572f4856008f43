CREATE TYPE task_priority AS ENUM ('low', 'normal', 'high');

CREATE TABLE tasks (
    id      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title   text NOT NULL CHECK (length(title) > 0),
    done    boolean NOT NULL DEFAULT false
);
