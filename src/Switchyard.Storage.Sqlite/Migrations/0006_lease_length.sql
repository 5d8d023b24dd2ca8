-- The length of a running task's lease as its claim or last heartbeat set it, so that a heartbeat that names none
-- extends the lease by that length again. Leases taken before this migration leave it null (the task's own length,
-- else the default).
ALTER TABLE tasks ADD COLUMN lease_length_ms INTEGER;
