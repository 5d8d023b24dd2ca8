using System.Text;
using System.Text.Json;
using Switchyard.Core.Cluster;
using Switchyard.Core.Model;
using Switchyard.Core.Storage;

namespace Switchyard.Storage.Postgres.Cluster;

/// <summary>
/// Writes notices into notification payloads and reads them back. A payload holds as many notices as fit in
/// <see cref="MaxPayloadBytes"/>; a move whose notice alone would not fit goes thin (see <see cref="PgMoveNotice.Thin"/>).
/// </summary>
internal static class PgNotices
{
    /// <summary>PostgreSQL refuses payloads of 8000 bytes or more; this leaves room to spare.</summary>
    public const int MaxPayloadBytes = 7_900;

    /// <summary>
    /// Payloads holding the move notices <paramref name="notices"/> (each from <see cref="Encode"/>), in order, each with the
    /// batch <see cref="Decode"/> reads from it.
    /// </summary>
    public static IReadOnlyList<(string Payload, PgNoticeBatch Batch)> PackMoves(string origin, IEnumerable<PgEncodedMove> notices) =>
        Pack(origin, "m", notices, n => n.Json, null).Select(p => (p.Payload, new PgNoticeBatch(origin, p.Items.Select(n => n.Notice).ToArray()))).ToArray();

    /// <summary>Payloads holding the expiry notices <paramref name="notices"/> (each from <see cref="EncodeExpired"/>), in order.</summary>
    public static string[] PackExpired(string origin, IEnumerable<PgEncodedMove> notices) =>
        Pack(origin, "xp", notices, n => n.Json, null).Select(p => p.Payload).ToArray();

    public static IReadOnlyList<string> EncodeProgress(string origin, IEnumerable<PgProgressNotice> reports, bool controls) =>
        Pack(origin, "p", reports.Select(r => JsonSerializer.SerializeToUtf8Bytes(r, PgNoticeJson.Default.PgProgressNotice)).Where(Fits), b => b,
            controls ? "\"k\":true" : null).Select(p => p.Payload).ToArray();

    /// <summary>The payload that tells the other nodes to read <paramref name="origin"/>'s push workers again.</summary>
    public static string EncodeWorkersChanged(string origin) => Pack<byte[]>(origin, "p", [], b => b, "\"w\":true")[0].Payload;

    /// <summary>The payload of one command for a worker connected to another node.</summary>
    public static string EncodeWorkerCommand(string origin, WorkerCommand command) =>
        JsonSerializer.Serialize(new PgNoticeBatch(origin, Commands: [PgWorkerCommandNotice.Of(command)]), PgNoticeJson.Default.PgNoticeBatch);

    /// <summary>The notices of one payload; null when it is not one of ours (another program on the channel).</summary>
    public static PgNoticeBatch? Decode(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize(payload, PgNoticeJson.Default.PgNoticeBatch);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The move a notice tells. <paramref name="stored"/>, the task as read from the store, fills what a thin notice left
    /// out, but only when it is still where the notice left it (else the event goes without result, error and progress).
    /// </summary>
    public static ClusterMove ToMove(PgMoveNotice notice, string localNode, string origin, TaskRecord? stored = null)
    {
        var state = TaskStates.Parse(notice.State);
        var time = DateTimeOffset.FromUnixTimeMilliseconds(notice.UpdatedAt);
        var current = stored is not null && stored.State == state ? stored : null;
        var task = new TaskRecord
        {
            Id = notice.Id,
            Type = notice.Type,
            Queue = notice.Queue,
            Group = notice.Group,
            Scope = notice.Scope,
            State = state,
            Attempt = notice.Attempt,
            MaxAttempts = notice.MaxAttempts,
            Priority = notice.Priority,
            CorrelationId = notice.CorrelationId,
            Labels = notice.Labels ?? stored?.Labels ?? TaskDefaults.NoLabels,
            Progress = notice.Progress is { } progress ? StoredJson.ReadProgress(progress.Raw) : current?.Progress,
            Result = notice.Result ?? current?.Result,
            Error = notice.Error is { } error ? StoredJson.ReadError(error.Raw) : current?.Error,
            Lease = notice is { LeaseWorker: { } worker, LeaseToken: { } token, LeaseExpiresAt: { } expires }
                ? new Lease(worker, token, DateTimeOffset.FromUnixTimeMilliseconds(expires))
                : null,
            CreatedAt = time,
            UpdatedAt = time,
        };
        var trigger = TaskTriggers.TryParseEventName(notice.Trigger, out var parsed) ? parsed : TaskTrigger.Submit;
        var from = TaskStates.TryParse(notice.From, out var fromState) ? fromState : (TaskState?)null;
        return new ClusterMove(new AppliedTransition(task, from, trigger), notice.Reason, origin == localNode) { Expired = notice.Expired };
    }

    /// <summary>
    /// The notice that <paramref name="task"/> expired and was deleted, after its last move (history id
    /// <paramref name="lastHistoryId"/>): whole when it fits a payload, else thin (then its event goes without result, error,
    /// labels and progress: the task is gone, nobody can read them).
    /// </summary>
    public static PgEncodedMove EncodeExpired(long lastHistoryId, TaskRecord task) =>
        Encode(new PgMove(lastHistoryId, task, task.State, TaskTrigger.Submit, null), expired: true);

    /// <summary>The notice of a move, with its JSON: whole when it fits a payload, else thin.</summary>
    public static PgEncodedMove Encode(PgMove move, bool expired = false)
    {
        var t = move.Task;
        var notice = new PgMoveNotice
        {
            HistoryId = move.HistoryId,
            Id = t.Id,
            Trigger = expired ? "expire" : move.Trigger.ToEventName(),
            From = move.From?.ToName(),
            State = t.State.ToName(),
            UpdatedAt = t.UpdatedAt.ToUnixTimeMilliseconds(),
            Type = t.Type,
            Queue = t.Queue,
            Group = t.Group,
            Scope = t.Scope,
            Attempt = t.Attempt,
            MaxAttempts = t.MaxAttempts,
            Priority = t.Priority,
            CorrelationId = t.CorrelationId,
            Labels = t.Labels.Count == 0 ? null : t.Labels.ToDictionary(),
            Progress = t.Progress is { } progress ? new JsonText(StoredJson.Write(progress)) : null,
            Result = t.State is TaskState.Completed or TaskState.Review ? t.Result : null,
            Error = t.Error is { } error ? new JsonText(StoredJson.Write(error)) : null,
            LeaseWorker = t.Lease?.WorkerId,
            LeaseToken = t.Lease?.Token,
            LeaseExpiresAt = t.Lease?.ExpiresAt.ToUnixTimeMilliseconds(),
            Reason = t.State == TaskState.Cancelled ? Truncate(move.Reason) : null,
            Expired = expired,
        };
        var whole = JsonSerializer.SerializeToUtf8Bytes(notice, PgNoticeJson.Default.PgMoveNotice);
        if (Fits(whole))
        {
            return new PgEncodedMove(notice, whole);
        }

        var thin = notice with { Labels = null, Progress = null, Result = null, Error = null, CorrelationId = null, Thin = true };
        return new PgEncodedMove(thin, JsonSerializer.SerializeToUtf8Bytes(thin, PgNoticeJson.Default.PgMoveNotice));
    }

    private static bool Fits(byte[] notice) => notice.Length <= MaxPayloadBytes - 200;

    /// <summary>A cancel's reason (free text from a client) kept short enough for any notice.</summary>
    private static string? Truncate(string? reason) => reason is { Length: > 1_000 } ? reason[..1_000] : reason;

    /// <summary>
    /// Payloads of the form <c>{"o":origin,"key":[notice,...],extra}</c>, each within <see cref="MaxPayloadBytes"/>, with the
    /// items each holds (<paramref name="json"/> gives an item's notice).
    /// </summary>
    private static List<(string Payload, List<T> Items)> Pack<T>(string origin, string key, IEnumerable<T> items, Func<T, byte[]> json, string? extra)
    {
        var head = Encoding.UTF8.GetBytes($"{{\"o\":{JsonSerializer.Serialize(origin, PgNoticeJson.Default.String)},\"{key}\":[");
        var tail = Encoding.UTF8.GetBytes(extra is null ? "]}" : "]," + extra + "}");
        var payloads = new List<(string, List<T>)>();
        var buffer = new MemoryStream();
        var held = new List<T>();
        foreach (var item in items)
        {
            var notice = json(item);
            if (held.Count > 0 && buffer.Length + 1 + notice.Length + tail.Length > MaxPayloadBytes)
            {
                payloads.Add((Close(buffer, tail), held));
                buffer = new MemoryStream();
                held = [];
            }

            if (held.Count == 0)
            {
                buffer.Write(head);
            }
            else
            {
                buffer.WriteByte((byte)',');
            }

            buffer.Write(notice);
            held.Add(item);
        }

        if (held.Count > 0 || extra is not null)
        {
            if (held.Count == 0)
            {
                buffer.Write(head);
            }

            payloads.Add((Close(buffer, tail), held));
        }

        return payloads;
    }

    private static string Close(MemoryStream buffer, byte[] tail)
    {
        buffer.Write(tail);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
