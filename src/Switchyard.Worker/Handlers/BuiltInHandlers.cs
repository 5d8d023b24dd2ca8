namespace Switchyard.Worker.Handlers;

/// <summary>The handlers that ship with the runtime, by task type.</summary>
public static class BuiltInHandlers
{
    public static IReadOnlyList<string> Names { get; } = [ShellExecHandler.TypeName, HttpRequestHandler.TypeName, LlmChatHandler.TypeName];

    /// <summary>A new handler for <paramref name="type"/>; <c>llm.chat</c> uses <paramref name="llm"/> (else the environment).</summary>
    public static ITaskHandler Create(string type, LlmOptions? llm = null) => type switch
    {
        ShellExecHandler.TypeName => new ShellExecHandler(),
        HttpRequestHandler.TypeName => new HttpRequestHandler(),
        LlmChatHandler.TypeName => new LlmChatHandler(llm),
        _ => throw new ArgumentException($"'{type}' is not a built-in handler; there are {string.Join(", ", Names)}.", nameof(type)),
    };

    /// <summary>Registers the built-in handlers named in <paramref name="types"/>.</summary>
    public static SwitchyardWorker HandleBuiltIn(this SwitchyardWorker worker, IEnumerable<string> types, LlmOptions? llm = null)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(types);
        foreach (var type in types)
        {
            worker.Handle(type, Create(type, llm));
        }

        return worker;
    }
}
