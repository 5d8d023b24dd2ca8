-- Worker presence across nodes: each node's heartbeat (the database's clock, so nodes' clocks may disagree) and the
-- push workers connected to it, so that any node knows whether some node has a worker for a request. Each node writes
-- only its own rows; a node whose heartbeat is too old is ignored, and its rows are deleted by one node.
CREATE TABLE cluster_nodes (
    node_id      text        PRIMARY KEY,
    started_at   timestamptz NOT NULL,
    heartbeat_at timestamptz NOT NULL
);

CREATE TABLE cluster_workers (
    node_id      text    NOT NULL REFERENCES cluster_nodes (node_id) ON DELETE CASCADE,
    worker_id    text    NOT NULL,
    protocol     text    NOT NULL,
    queues       text[]  NOT NULL,
    groups       text[]  NOT NULL,
    types        text[]  NOT NULL,
    connected_at bigint  NOT NULL,
    quiet        boolean NOT NULL,
    PRIMARY KEY (node_id, worker_id)
);
