-- Queue counts kept by the store, so that GET /api/v1/queues reads a few rows instead of counting every task (a
-- count over tasks keeps a snapshot open long enough to stop PostgreSQL from removing dead claim-index entries).
-- queue_counts holds the folded counts; every statement that adds, moves or deletes tasks appends its changes,
-- summed per (queue, state), to queue_count_deltas from a statement trigger (transition tables). The triggers never
-- update a shared counter row, so writers of one queue on every node do not queue behind each other; one node
-- (leader role table-upkeep) moves the deltas into queue_counts every Cluster:UpkeepMs. A count is
-- queue_counts.n plus the queue's deltas, read in one statement: exact in that statement's snapshot.
-- A trigger reads its tables through the search path of this migration (the store's schema), not the caller's.
-- COPY fires the triggers too; TRUNCATE empties both tables. Nothing Switchyard runs skips triggers: a session with
-- session_replication_role = replica would, and docs/operations.md says how to count again from tasks.
CREATE TABLE queue_counts (
    queue text   NOT NULL,
    state text   NOT NULL,
    n     bigint NOT NULL,
    PRIMARY KEY (queue, state)
);

CREATE TABLE queue_count_deltas (
    id    bigserial PRIMARY KEY,
    queue text      NOT NULL,
    state text      NOT NULL,
    n     bigint    NOT NULL
);

CREATE FUNCTION queue_counts_inserted() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO queue_count_deltas (queue, state, n) SELECT queue, state, count(*) FROM inserted GROUP BY queue, state;
    RETURN NULL;
END
$$;

CREATE FUNCTION queue_counts_deleted() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO queue_count_deltas (queue, state, n) SELECT queue, state, -count(*) FROM deleted GROUP BY queue, state;
    RETURN NULL;
END
$$;

-- Only rows whose queue or state changed count: -1 where they were, +1 where they are.
CREATE FUNCTION queue_counts_updated() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO queue_count_deltas (queue, state, n)
    SELECT c.queue, c.state, sum(c.n)
    FROM before_update b
    JOIN after_update a ON a.seq = b.seq
    CROSS JOIN LATERAL (VALUES (b.queue, b.state, -1), (a.queue, a.state, 1)) AS c (queue, state, n)
    WHERE a.state <> b.state OR a.queue <> b.queue
    GROUP BY c.queue, c.state
    HAVING sum(c.n) <> 0;
    RETURN NULL;
END
$$;

CREATE FUNCTION queue_counts_truncated() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    DELETE FROM queue_count_deltas;
    DELETE FROM queue_counts;
    RETURN NULL;
END
$$;

-- Creating the first trigger locks tasks against writers until this migration commits (SHARE ROW EXCLUSIVE), so the
-- count below sees every task and no write escapes both it and the triggers.
CREATE TRIGGER queue_counts_insert AFTER INSERT ON tasks REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION queue_counts_inserted();
CREATE TRIGGER queue_counts_update AFTER UPDATE ON tasks REFERENCING OLD TABLE AS before_update NEW TABLE AS after_update
    FOR EACH STATEMENT EXECUTE FUNCTION queue_counts_updated();
CREATE TRIGGER queue_counts_delete AFTER DELETE ON tasks REFERENCING OLD TABLE AS deleted
    FOR EACH STATEMENT EXECUTE FUNCTION queue_counts_deleted();
CREATE TRIGGER queue_counts_truncate AFTER TRUNCATE ON tasks
    FOR EACH STATEMENT EXECUTE FUNCTION queue_counts_truncated();

INSERT INTO queue_counts (queue, state, n) SELECT queue, state, count(*) FROM tasks GROUP BY queue, state;
