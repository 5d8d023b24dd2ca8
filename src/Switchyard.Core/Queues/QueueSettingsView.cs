using System.Collections.Frozen;

namespace Switchyard.Core.Queues;

/// <summary>The stored queue settings as this node last read or wrote them; read lock-free by every submit.</summary>
public sealed class QueueSettingsView
{
    private readonly Lock _writing = new();
    private FrozenDictionary<string, QueueSettings> _settings = FrozenDictionary<string, QueueSettings>.Empty;

    public QueueSettings? Find(string queue) => _settings.GetValueOrDefault(queue);

    public void Replace(IEnumerable<QueueSettings> all)
    {
        lock (_writing)
        {
            _settings = all.ToFrozenDictionary(s => s.Queue, StringComparer.Ordinal);
        }
    }

    public void Set(QueueSettings settings)
    {
        lock (_writing)
        {
            var next = _settings.ToDictionary(StringComparer.Ordinal);
            next[settings.Queue] = settings;
            _settings = next.ToFrozenDictionary(StringComparer.Ordinal);
        }
    }
}
