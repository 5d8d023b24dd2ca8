-- The least a PostgreSQL drain with Switchyard's rules can write: claim a batch (FOR UPDATE SKIP LOCKED, a lease
-- token, a history row per task), commit, complete the batch (compare-and-set on the state, a history row per task),
-- commit. No server, no worker, no notifications, two indexes on tasks. Run with floor.sh; see docs/performance.md.
DROP SCHEMA IF EXISTS fl CASCADE; CREATE SCHEMA fl; SET search_path=fl;
CREATE TABLE t(id bigint PRIMARY KEY, queue text NOT NULL, state smallint NOT NULL, priority int NOT NULL DEFAULT 0,
  payload jsonb, result jsonb, attempt int NOT NULL DEFAULT 0, lease_token bigint, worker text, lease_expires timestamptz,
  created timestamptz NOT NULL DEFAULT now(), updated timestamptz NOT NULL DEFAULT now());
CREATE INDEX t_ready ON t(queue, priority DESC, id) WHERE state = 0;
CREATE TABLE h(id bigserial PRIMARY KEY, task_id bigint NOT NULL, from_state smallint, to_state smallint NOT NULL, at timestamptz NOT NULL DEFAULT now(), worker text);
CREATE INDEX h_task ON h(task_id);
CREATE SEQUENCE tok;
CREATE PROCEDURE drain_batch(n int) LANGUAGE plpgsql AS $$
DECLARE ids bigint[];
BEGIN
  WITH c AS (SELECT id FROM fl.t WHERE queue='q' AND state=0 ORDER BY priority DESC, id LIMIT n FOR UPDATE SKIP LOCKED),
       u AS (UPDATE fl.t SET state=1, attempt=attempt+1, lease_token=nextval('fl.tok'), worker='w', lease_expires=now()+interval '30s', updated=now()
             FROM c WHERE t.id=c.id RETURNING t.id),
       hi AS (INSERT INTO fl.h(task_id, from_state, to_state, worker) SELECT id, 0, 1, 'w' FROM u RETURNING task_id)
  SELECT array_agg(task_id) INTO ids FROM hi;
  COMMIT;
  IF ids IS NULL THEN RETURN; END IF;
  WITH u AS (UPDATE fl.t SET state=2, result='{"ok":true}', lease_expires=NULL, updated=now() WHERE id = ANY(ids) AND state=1 RETURNING id)
  INSERT INTO fl.h(task_id, from_state, to_state, worker) SELECT id, 1, 2, 'w' FROM u;
  COMMIT;
END $$;

-- The same without history rows (what a queue that keeps no history writes).
CREATE PROCEDURE fl.drain_nohist(n int) LANGUAGE plpgsql AS $$
DECLARE ids bigint[];
BEGIN
  WITH c AS (SELECT id FROM fl.t WHERE queue='q' AND state=0 ORDER BY priority DESC, id LIMIT n FOR UPDATE SKIP LOCKED),
       u AS (UPDATE fl.t SET state=1, attempt=attempt+1, lease_token=nextval('fl.tok'), worker='w', lease_expires=now()+interval '30s', updated=now()
             FROM c WHERE t.id=c.id RETURNING t.id),
       hi AS (SELECT id AS task_id FROM u)
  SELECT array_agg(task_id) INTO ids FROM hi;
  COMMIT;
  IF ids IS NULL THEN RETURN; END IF;
  WITH u AS (UPDATE fl.t SET state=2, result='{"ok":true}', lease_expires=NULL, updated=now() WHERE id = ANY(ids) AND state=1 RETURNING id)
  SELECT count(*) FROM u INTO STRICT n;
  COMMIT;
END $$;
