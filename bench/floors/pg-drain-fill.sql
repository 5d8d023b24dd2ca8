SET search_path=fl; TRUNCATE t, h;
INSERT INTO t(id, queue, state, payload) SELECT g, 'q', 0, '{"i":1}' FROM generate_series(1,200000) g;
INSERT INTO h(task_id, to_state) SELECT g, 0 FROM generate_series(1,200000) g;
VACUUM ANALYZE t; VACUUM ANALYZE h; CHECKPOINT;
