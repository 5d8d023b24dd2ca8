-- Task types: a definition per type, from the types file (source 'file') or the API (source 'api'). Same numbering
-- and columns as the SQLite store; times are Unix milliseconds, structures JSON text.
CREATE TABLE task_types (
    type                  text    PRIMARY KEY,
    description           text,
    payload_schema        text,
    defaults              text,
    concurrency           integer,
    estimated_duration_ms bigint,
    source                text    NOT NULL,
    updated_at            bigint  NOT NULL
);

-- Queue settings: only queues someone configured have a row; the others run with the defaults.
CREATE TABLE queue_settings (
    queue            text    PRIMARY KEY,
    paused           boolean NOT NULL,
    max_length       integer,
    max_running      integer,
    rate_tasks       integer,
    rate_interval_ms bigint,
    group_rates      text,
    scope_weights    text,
    group_weights    text,
    updated_at       bigint  NOT NULL
);

-- Token buckets of the rate limits, shared by every node: one per rate-limited queue (grp '') and per rate-limited
-- group of a queue, written by the claims that spend them. level is in 1/interval_ms tokens as of refilled_at; a
-- bucket is used only while the settings name the rate it was made for.
CREATE TABLE rate_buckets (
    queue       text    NOT NULL,
    grp         text    NOT NULL,
    tasks       integer NOT NULL,
    interval_ms bigint  NOT NULL,
    level       bigint  NOT NULL,
    refilled_at bigint  NOT NULL,
    PRIMARY KEY (queue, grp)
);

-- Claims read the heads of each (scope, group, type) bucket of a queue, and count the running tasks of a type.
CREATE INDEX ix_tasks_claim ON tasks (queue, scope, grp, type, priority DESC, seq) WHERE state = 'queued';
CREATE INDEX ix_tasks_running_type ON tasks (type) WHERE state = 'running';
