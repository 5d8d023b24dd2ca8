using System.Collections.Concurrent;

namespace Switchyard.Storage.Postgres.Cluster;

/// <summary>
/// The move payloads a node sent, each with the batch it was packed from, until its own listener receives them: the node
/// then takes the batch instead of parsing the JSON back (about a tenth of a node's CPU in a drain, when every move comes
/// back to the node that made it). A payload that never comes back (its send failed, or the listener was down) is
/// forgotten, or pushed out once more than <see cref="Capacity"/> have been sent after it.
/// </summary>
internal sealed class OwnPayloads
{
    /// <summary>Payloads kept at most; each is under 8 kB, and a received one is taken within milliseconds.</summary>
    public const int Capacity = 256;

    private readonly ConcurrentDictionary<string, PgNoticeBatch> _batches = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _sent = new();

    public int Count => _batches.Count;

    public void Add(string payload, PgNoticeBatch batch)
    {
        if (!_batches.TryAdd(payload, batch))
        {
            return;
        }

        _sent.Enqueue(payload);
        while (_sent.Count > Capacity && _sent.TryDequeue(out var oldest))
        {
            _batches.TryRemove(oldest, out _);
        }
    }

    /// <summary>The batch <paramref name="payload"/> was packed from, if this node sent it and has not taken it yet.</summary>
    public PgNoticeBatch? Take(string payload) => _batches.TryRemove(payload, out var batch) ? batch : null;

    public void Forget(IEnumerable<string> payloads)
    {
        foreach (var payload in payloads)
        {
            _batches.TryRemove(payload, out _);
        }
    }
}
