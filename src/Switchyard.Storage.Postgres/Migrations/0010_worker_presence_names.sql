-- A worker's name and the version it said in hello, so that GET /api/v1/workers on any node can list every node's
-- workers as they named themselves. Rows written by nodes of earlier versions leave both null.
ALTER TABLE cluster_workers ADD COLUMN name text;
ALTER TABLE cluster_workers ADD COLUMN version text;
