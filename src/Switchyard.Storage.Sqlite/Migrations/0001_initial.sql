-- Tasks: one row per task; seq orders tasks by arrival and pages lists.
CREATE TABLE tasks (
    seq               INTEGER PRIMARY KEY,
    id                TEXT    NOT NULL UNIQUE,
    type              TEXT    NOT NULL,
    queue             TEXT    NOT NULL,
    grp               TEXT    NOT NULL,
    priority          INTEGER NOT NULL,
    state             TEXT    NOT NULL,
    payload           TEXT    NOT NULL,
    result            TEXT,
    error             TEXT,
    attempt           INTEGER NOT NULL,
    max_attempts      INTEGER NOT NULL,
    retry             TEXT    NOT NULL,
    timeout_ms        INTEGER,
    deadline_at       INTEGER,
    lease_ms          INTEGER,
    run_at            INTEGER,
    parent_id         TEXT,
    correlation_id    TEXT,
    idempotency_key   TEXT,
    review            TEXT    NOT NULL,
    rejection_count   INTEGER NOT NULL,
    feedback          TEXT,
    progress          TEXT,
    labels            TEXT,
    scope             TEXT    NOT NULL,
    lease_worker      TEXT,
    lease_token       INTEGER,
    lease_expires_at  INTEGER,
    cancel_requested  INTEGER NOT NULL,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    started_at        INTEGER,
    finished_at       INTEGER,
    result_expires_at INTEGER
);

CREATE UNIQUE INDEX ix_tasks_idempotency ON tasks (scope, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX ix_tasks_lease ON tasks (lease_expires_at) WHERE state = 'running';
CREATE INDEX ix_tasks_run_at ON tasks (run_at) WHERE state = 'scheduled';
CREATE INDEX ix_tasks_deadline ON tasks (deadline_at)
    WHERE deadline_at IS NOT NULL AND state IN ('scheduled', 'blocked', 'queued', 'running');
CREATE INDEX ix_tasks_result_expiry ON tasks (result_expires_at) WHERE result_expires_at IS NOT NULL;
CREATE INDEX ix_tasks_state ON tasks (state, seq);
CREATE INDEX ix_tasks_correlation ON tasks (correlation_id) WHERE correlation_id IS NOT NULL;

-- History: one row per applied move, written in the move's transaction.
CREATE TABLE task_history (
    id         INTEGER PRIMARY KEY,
    task_seq   INTEGER NOT NULL,
    at         INTEGER NOT NULL,
    event      TEXT    NOT NULL,
    from_state TEXT,
    to_state   TEXT    NOT NULL,
    actor      TEXT,
    reason     TEXT,
    attempt    INTEGER NOT NULL
);

CREATE INDEX ix_task_history_task ON task_history (task_seq, id);

-- Counters that must only grow, such as the fencing token of leases.
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO counters (name, value) VALUES ('fencing_token', 0);
