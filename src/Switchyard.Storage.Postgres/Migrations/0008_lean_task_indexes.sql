-- Fewer index entries per move. Every move changes a task's state, an indexed column, so PostgreSQL writes the new
-- row version into every full index of tasks and into each partial index whose predicate it meets. Three indexes
-- served queries off the hot path yet took entries on every move:
-- * ix_tasks_state (state, seq) and ix_tasks_queue_state (queue, state), full indexes: an entry for each of a task's
--   row versions (queued, running, completed). Their readers now have partial indexes that take one entry at most in a
--   successful task's life: the waiting count per queue of maxLength (ix_tasks_waiting), and lists filtered by a state
--   off the success path (ix_tasks_uncommon_state; the list statement names its states as literals so the planner
--   can match the predicate). The running count per queue of maxRunning reads ix_tasks_running_type: running tasks
--   are as many as the workers' capacity at most. A list filtered by queued, running or completed reads
--   ix_tasks_claim, ix_tasks_running_type or the primary key from the newest task.
-- * ix_tasks_ready (queue, priority DESC, seq) WHERE queued: ix_tasks_claim leads with the queue too.
-- A successful task now takes 11 entries in the indexes of tasks instead of 17.
DROP INDEX ix_tasks_state;
DROP INDEX ix_tasks_queue_state;
DROP INDEX ix_tasks_ready;
CREATE INDEX ix_tasks_waiting ON tasks (queue) WHERE state IN ('scheduled', 'blocked', 'queued');
CREATE INDEX ix_tasks_uncommon_state ON tasks (state, seq) WHERE state IN ('scheduled', 'blocked', 'review', 'failed', 'cancelled');
