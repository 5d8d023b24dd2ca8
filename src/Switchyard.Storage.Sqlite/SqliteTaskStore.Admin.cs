using Microsoft.Data.Sqlite;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Sqlite;

/// <summary>Administration of the database file: vacuum and checkpoint (alone on the writer), purge of old finished tasks.</summary>
public sealed partial class SqliteTaskStore : IStoreMaintenance
{
    private static readonly TaskState[] Finished = [TaskState.Completed, TaskState.Failed, TaskState.Cancelled];

    public Task<VacuumResult> VacuumStoreAsync(VacuumRequest request, CancellationToken cancellationToken) =>
        Writer.RunAlone(context =>
        {
            var before = BytesOnDisk();
            Pragma(context.Connection, "PRAGMA wal_checkpoint(TRUNCATE)");
            if (request.Full)
            {
                Pragma(context.Connection, "VACUUM");
            }

            Pragma(context.Connection, "PRAGMA optimize");
            Pragma(context.Connection, "PRAGMA wal_checkpoint(TRUNCATE)");
            return new VacuumResult(before, BytesOnDisk());
        }, cancellationToken);

    public Task<int> PurgeFinishedAsync(PurgeFinishedRequest request, CancellationToken cancellationToken)
    {
        var states = (request.States.Count == 0 ? Finished : request.States.Where(Finished.Contains)).Select(s => s.ToName()).ToArray();
        if (states.Length == 0 || request.MaxTasks < 1)
        {
            return Task.FromResult(0);
        }

        return Writer.Run(context =>
        {
            var doomed = new List<(long Seq, string Queue, TaskState State)>();
            using (var select = context.Connection.CreateCommand())
            {
                var names = states.Select((_, i) => $"$s{i}").ToArray();
                select.CommandText =
                    $"SELECT seq, queue, state FROM tasks WHERE state IN ({string.Join(", ", names)}) AND finished_at <= $before " +
                    "AND ($queue IS NULL OR queue = $queue) ORDER BY finished_at LIMIT $limit";
                for (var i = 0; i < states.Length; i++)
                {
                    select.Parameters.AddWithValue(names[i], states[i]);
                }

                select.Parameters.AddWithValue("$before", TaskRows.Ms(request.FinishedBefore));
                select.Parameters.AddWithValue("$queue", (object?)request.Queue ?? DBNull.Value);
                select.Parameters.AddWithValue("$limit", request.MaxTasks);
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    doomed.Add((reader.GetInt64(0), reader.GetString(1), TaskStates.Parse(reader.GetString(2))));
                }
            }

            doomed.ForEach(d => context.Delete(d.Seq));
            doomed.ForEach(d => context.Counts.Add(d.Queue, d.State, -1));
            return doomed.Count;
        }, cancellationToken);
    }

    private long BytesOnDisk()
    {
        var path = database.Options.DatabasePath;
        return new[] { path, path + "-wal" }.Select(p => new FileInfo(p)).Where(f => f.Exists).Sum(f => f.Length);
    }

    private static void Pragma(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            // Checkpoints answer with a row of counts: read it so the statement runs to its end.
        }
    }
}
