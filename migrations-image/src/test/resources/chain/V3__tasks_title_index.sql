-- Built without blocking writes; needs executeInTransaction=false (see the .conf file).
CREATE INDEX CONCURRENTLY tasks_title_idx ON tasks (title);
