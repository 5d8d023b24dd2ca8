namespace Switchyard.Worker;

/// <summary>The handler of each task type; filled before the worker starts, read-only after.</summary>
internal sealed class HandlerRegistry
{
    private readonly Dictionary<string, ITaskHandler> _handlers = new(StringComparer.Ordinal);
    private volatile bool _frozen;

    public IReadOnlyList<string> Types => _handlers.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>Each handler once, even when it serves several types.</summary>
    public IEnumerable<ITaskHandler> Handlers => _handlers.Values.Distinct();

    public void Add(string type, ITaskHandler handler)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        ArgumentNullException.ThrowIfNull(handler);
        if (_frozen)
        {
            throw new InvalidOperationException("Handlers are registered before the worker starts.");
        }

        if (!_handlers.TryAdd(type, handler))
        {
            throw new InvalidOperationException($"Type '{type}' already has a handler.");
        }
    }

    public void Freeze() => _frozen = true;

    public ITaskHandler? Find(string type) => _handlers.GetValueOrDefault(type);
}
