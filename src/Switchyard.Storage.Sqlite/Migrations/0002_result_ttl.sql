-- A task may keep its result for its own time instead of the engine's default.
ALTER TABLE tasks ADD COLUMN result_ttl_ms INTEGER;
