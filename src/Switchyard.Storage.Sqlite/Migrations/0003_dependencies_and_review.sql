-- Dependencies: a task lists the tasks it waits for; the edge table answers "who waits for this task?".
ALTER TABLE tasks ADD COLUMN depends_on TEXT;
ALTER TABLE tasks ADD COLUMN on_dependency_failure TEXT NOT NULL DEFAULT 'fail';

CREATE TABLE task_dependencies (
    task_seq INTEGER NOT NULL,
    dep_seq  INTEGER NOT NULL,
    PRIMARY KEY (task_seq, dep_seq)
) WITHOUT ROWID;

CREATE INDEX ix_task_dependencies_dep ON task_dependencies (dep_seq, task_seq);
CREATE INDEX ix_tasks_parent ON tasks (parent_id) WHERE parent_id IS NOT NULL;

-- Review gate: how many rejections a task takes before it fails escalated, and a reviewer's claim on it.
ALTER TABLE tasks ADD COLUMN max_rejections INTEGER NOT NULL DEFAULT 3;
ALTER TABLE tasks ADD COLUMN review_holder TEXT;
ALTER TABLE tasks ADD COLUMN review_token INTEGER;
ALTER TABLE tasks ADD COLUMN review_expires_at INTEGER;

CREATE INDEX ix_tasks_review ON tasks (queue, seq) WHERE state = 'review';
