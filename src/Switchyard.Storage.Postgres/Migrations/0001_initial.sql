-- Tasks: one row per task; seq orders tasks by arrival and pages lists. Times are Unix milliseconds.
CREATE TABLE tasks (
    seq                   bigserial PRIMARY KEY,
    id                    text      NOT NULL UNIQUE,
    type                  text      NOT NULL,
    queue                 text      NOT NULL,
    grp                   text      NOT NULL,
    priority              integer   NOT NULL,
    state                 text      NOT NULL,
    payload               text      NOT NULL,
    result                text,
    error                 text,
    attempt               integer   NOT NULL,
    max_attempts          integer   NOT NULL,
    retry                 text      NOT NULL,
    timeout_ms            bigint,
    deadline_at           bigint,
    lease_ms              bigint,
    run_at                bigint,
    parent_id             text,
    correlation_id        text,
    idempotency_key       text,
    review                text      NOT NULL,
    rejection_count       integer   NOT NULL,
    feedback              text,
    progress              text,
    labels                jsonb,
    scope                 text      NOT NULL,
    lease_worker          text,
    lease_token           bigint,
    lease_expires_at      bigint,
    cancel_requested      boolean   NOT NULL,
    created_at            bigint    NOT NULL,
    updated_at            bigint    NOT NULL,
    started_at            bigint,
    finished_at           bigint,
    result_expires_at     bigint,
    result_ttl_ms         bigint,
    depends_on            text[],
    on_dependency_failure text      NOT NULL,
    max_rejections        integer   NOT NULL,
    review_holder         text,
    review_token          bigint,
    review_expires_at     bigint
);

CREATE UNIQUE INDEX ix_tasks_idempotency ON tasks (scope, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX ix_tasks_ready ON tasks (queue, priority DESC, seq) WHERE state = 'queued';
CREATE INDEX ix_tasks_lease ON tasks (lease_expires_at) WHERE state = 'running';
CREATE INDEX ix_tasks_run_at ON tasks (run_at) WHERE state = 'scheduled';
CREATE INDEX ix_tasks_deadline ON tasks (deadline_at)
    WHERE deadline_at IS NOT NULL AND state IN ('scheduled', 'blocked', 'queued', 'running');
CREATE INDEX ix_tasks_result_expiry ON tasks (result_expires_at) WHERE result_expires_at IS NOT NULL;
CREATE INDEX ix_tasks_state ON tasks (state, seq);
CREATE INDEX ix_tasks_queue_state ON tasks (queue, state);
CREATE INDEX ix_tasks_correlation ON tasks (correlation_id) WHERE correlation_id IS NOT NULL;
CREATE INDEX ix_tasks_parent ON tasks (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX ix_tasks_review ON tasks (queue, seq) WHERE state = 'review';

-- History: one row per applied move, written in the move's transaction.
CREATE TABLE task_history (
    id         bigserial PRIMARY KEY,
    task_seq   bigint    NOT NULL,
    at         bigint    NOT NULL,
    event      text      NOT NULL,
    from_state text,
    to_state   text      NOT NULL,
    actor      text,
    reason     text,
    attempt    integer   NOT NULL
);

CREATE INDEX ix_task_history_task ON task_history (task_seq, id);

-- Dependencies: the edge table answers "who waits for this task?".
CREATE TABLE task_dependencies (
    task_seq bigint NOT NULL,
    dep_seq  bigint NOT NULL,
    PRIMARY KEY (task_seq, dep_seq)
);

CREATE INDEX ix_task_dependencies_dep ON task_dependencies (dep_seq, task_seq);

-- Fencing tokens of leases (work and review): a sequence only grows, across restarts and nodes.
CREATE SEQUENCE fencing_token;
