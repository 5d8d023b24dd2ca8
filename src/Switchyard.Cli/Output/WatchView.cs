using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;
using Switchyard.Client.Contracts;

namespace Switchyard.Cli.Output;

/// <summary>
/// What <c>switchyard watch</c> shows live: how many of the tasks it has seen are in each state (finished ones
/// counted as they finish, waiting and running ones as they are now), and the latest events, newest first.
/// </summary>
internal sealed class WatchView(string server, string filter)
{
    public const int RecentRows = 20;

    private static readonly string[] States = ["scheduled", "blocked", "queued", "running", "review", "completed", "failed", "cancelled"];
    private static readonly HashSet<string> Finished = new(["completed", "failed", "cancelled"], StringComparer.Ordinal);

    private readonly Dictionary<string, string> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _finished = new(StringComparer.Ordinal);
    private readonly LinkedList<EventDto> _recent = new();

    public string Status { get; set; } = "connecting";

    public long LastSeq { get; set; }

    public void Add(EventDto frame)
    {
        if (frame.Type is "stream.open" or "stream.heartbeat")
        {
            return;
        }

        if (frame.Data is { } data && frame.TaskId is { } id)
        {
            if (Finished.Contains(data.State))
            {
                _open.Remove(id);
                _finished[data.State] = _finished.GetValueOrDefault(data.State) + 1;
            }
            else
            {
                _open[id] = data.State;
            }
        }

        _recent.AddFirst(frame);
        if (_recent.Count > RecentRows)
        {
            _recent.RemoveLast();
        }
    }

    public IRenderable Render()
    {
        var counts = new Table().Border(TableBorder.Rounded).Title("tasks seen, by state");
        foreach (var state in States)
        {
            counts.AddColumn(new TableColumn(state).RightAligned());
        }

        counts.AddRow(States.Select(s => Tables.Number(Finished.Contains(s) ? _finished.GetValueOrDefault(s) : _open.Values.Count(v => v == s))).ToArray());

        var recent = new Table().Border(TableBorder.Rounded).Title("recent events");
        foreach (var column in new[] { "TIME", "SEQ", "TYPE", "TASK", "QUEUE", "STATE", "ATTEMPT", "DETAIL" })
        {
            recent.AddColumn(new TableColumn(column) { NoWrap = true });
        }

        foreach (var e in _recent)
        {
            recent.AddRow(Cells(e).Select(c => (IRenderable)new Text(c)).ToArray());
        }

        var heading = new Text($"{server}  {(filter.Length == 0 ? "all events" : filter)}  {Status}  last seq {LastSeq}");
        return new Rows(heading, counts, recent);
    }

    /// <summary>One event as text columns: time, seq, type, task, queue, state, attempt and what stands out about it.</summary>
    public static string[] Cells(EventDto e) =>
    [
        e.Time.ToUniversalTime().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture),
        Tables.Number(e.Seq),
        e.Type,
        e.TaskId ?? string.Empty,
        e.Data?.Queue ?? string.Empty,
        e.Data?.State ?? string.Empty,
        e.Data is { } d ? $"{d.Attempt}/{d.MaxAttempts}" : string.Empty,
        Detail(e),
    ];

    private static string Detail(EventDto e) => e switch
    {
        { Notice: { } notice } => notice.Message,
        { Data.Error: { } error } => $"{error.Code}: {error.Message}",
        { Data.Reason: { } reason } => reason,
        { Data.Progress: { } p } => $"{p.Percent?.ToString("0.#", CultureInfo.InvariantCulture) ?? "-"}% {p.Message}".TrimEnd(),
        _ => string.Empty,
    };
}
