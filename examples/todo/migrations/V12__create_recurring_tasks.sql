-- V12: recurring_tasks, the templates the scheduler turns into tasks.
--
-- Why: a cron job finds active templates whose next_due_at has passed,
-- creates a task from each and moves next_due_at on (phase V).
--   * set_updated_at() keeps updated_at right on every UPDATE, whoever
--     writes the row (the app, the scheduler, a person with psql); it is a
--     generic trigger function that later tables can reuse.
--   * ix_recurring_tasks_due: the scheduler's query, active templates by
--     next_due_at (partial: paused templates are not indexed).
--   * ix_recurring_tasks_recurrence_rule: GIN (jsonb_path_ops) for
--     containment queries on the rule, e.g.
--     recurrence_rule @> '{"frequency": "weekly"}'.
CREATE FUNCTION set_updated_at() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TABLE recurring_tasks (
    id               text           NOT NULL DEFAULT gen_random_uuid()::text,
    user_id          text           NOT NULL,
    title            varchar(200)   NOT NULL,
    description      varchar(2000),
    priority         varchar(20)    NOT NULL DEFAULT 'medium',
    recurrence_rule  jsonb          NOT NULL,
    next_due_at      timestamptz    NOT NULL,
    is_active        boolean        NOT NULL DEFAULT true,
    created_at       timestamptz    NOT NULL DEFAULT now(),
    updated_at       timestamptz    NOT NULL DEFAULT now(),
    CONSTRAINT pk_recurring_tasks PRIMARY KEY (id),
    CONSTRAINT fk_recurring_tasks_user_id FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT ck_recurring_tasks_priority
        CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
    CONSTRAINT ck_recurring_tasks_recurrence_rule_object
        CHECK (jsonb_typeof(recurrence_rule) = 'object')
);

CREATE INDEX ix_recurring_tasks_user_id ON recurring_tasks (user_id);
CREATE INDEX ix_recurring_tasks_due ON recurring_tasks (next_due_at)
    WHERE is_active;
CREATE INDEX ix_recurring_tasks_recurrence_rule ON recurring_tasks
    USING gin (recurrence_rule jsonb_path_ops);

CREATE TRIGGER trigger_update_recurring_tasks_updated_at
    BEFORE UPDATE ON recurring_tasks
    FOR EACH ROW
    EXECUTE FUNCTION set_updated_at();
