-- Recurring schedules: a cron expression in a time zone and the task each run submits (same numbering as the SQLite store).
CREATE TABLE schedules (
    id           text    PRIMARY KEY,
    cron         text    NOT NULL,
    time_zone    text    NOT NULL,
    template     text    NOT NULL,
    missed_runs  text    NOT NULL,
    paused       boolean NOT NULL,
    next_run_at  bigint,
    last_run_at  bigint,
    last_task_id text,
    last_error   text,
    created_at   bigint  NOT NULL,
    updated_at   bigint  NOT NULL
);

CREATE INDEX ix_schedules_due ON schedules (next_run_at) WHERE NOT paused AND next_run_at IS NOT NULL;
