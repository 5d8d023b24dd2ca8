using Microsoft.Data.Sqlite;
using Switchyard.Core.Queues;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Sqlite;

/// <summary>The claim path's limits as the writer keeps them: loaded from the control tables, changed by the control commands.</summary>
internal sealed class ClaimControls(StateCounts counts, TimeProvider time, ClaimHolds holds)
{
    public ClaimLimits Limits { get; } = new(counts, time);

    /// <summary>Rebuilds the limits from the rows, and the running count per type (call right after the counts were cleared).</summary>
    public void Load(SqliteConnection connection)
    {
        using (var queues = connection.CreateCommand())
        {
            queues.CommandText = ControlRows.SelectQueues;
            using var reader = queues.ExecuteReader();
            var all = new List<QueueSettings>();
            while (reader.Read())
            {
                all.Add(ControlColumns.ReadQueue(reader));
            }

            Limits.Replace(all);
        }

        using (var types = connection.CreateCommand())
        {
            types.CommandText = ControlRows.SelectTypes;
            Limits.ReplaceTypes(ControlRows.ReadTypes(types));
        }

        using var running = connection.CreateCommand();
        running.CommandText = "SELECT type, count(*) FROM tasks WHERE state = 'running' GROUP BY type";
        using var rows = running.ExecuteReader();
        while (rows.Read())
        {
            counts.AddRunning(rows.GetString(0), rows.GetInt64(1));
        }
    }

    /// <summary>Tells the waker what the last claim held back.</summary>
    public void ReportHolds() => Limits.ReportTo(holds);
}
