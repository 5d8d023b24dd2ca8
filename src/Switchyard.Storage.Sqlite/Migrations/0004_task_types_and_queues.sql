-- Task types: a definition per type, from the types file (source 'file') or the API (source 'api').
CREATE TABLE task_types (
    type                  TEXT    PRIMARY KEY,
    description           TEXT,
    payload_schema        TEXT,
    defaults              TEXT,
    concurrency           INTEGER,
    estimated_duration_ms INTEGER,
    source                TEXT    NOT NULL,
    updated_at            INTEGER NOT NULL
) WITHOUT ROWID;

-- Queue settings: only queues someone configured have a row; the others run with the defaults.
CREATE TABLE queue_settings (
    queue            TEXT    PRIMARY KEY,
    paused           INTEGER NOT NULL,
    max_length       INTEGER,
    max_running      INTEGER,
    rate_tasks       INTEGER,
    rate_interval_ms INTEGER,
    group_rates      TEXT,
    scope_weights    TEXT,
    group_weights    TEXT,
    updated_at       INTEGER NOT NULL
) WITHOUT ROWID;
