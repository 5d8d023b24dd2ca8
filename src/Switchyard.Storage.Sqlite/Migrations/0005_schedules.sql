-- Recurring schedules: a cron expression in a time zone and the task each run submits.
CREATE TABLE schedules (
    id           TEXT    PRIMARY KEY,
    cron         TEXT    NOT NULL,
    time_zone    TEXT    NOT NULL,
    template     TEXT    NOT NULL,
    missed_runs  TEXT    NOT NULL,
    paused       INTEGER NOT NULL,
    next_run_at  INTEGER,
    last_run_at  INTEGER,
    last_task_id TEXT,
    last_error   TEXT,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX ix_schedules_due ON schedules (next_run_at) WHERE paused = 0 AND next_run_at IS NOT NULL;
