namespace Switchyard.Worker.Handlers;

/// <summary>The handlers that ship with the runtime, by task type.</summary>
public static class BuiltInHandlers
{
    public static IReadOnlyList<string> Names { get; } =
    [
        ShellExecHandler.TypeName, HttpRequestHandler.TypeName, LlmChatHandler.TypeName,
        FsScanHandler.TypeName, FsReadHandler.TypeName, FsWriteHandler.TypeName, AnalysisScanHandler.TypeName,
    ];

    /// <summary>The handlers that touch files and need <see cref="FileAccessOptions.Roots"/>.</summary>
    public static IReadOnlyList<string> FileNames { get; } =
        [FsScanHandler.TypeName, FsReadHandler.TypeName, FsWriteHandler.TypeName, AnalysisScanHandler.TypeName];

    /// <summary>
    /// A new handler for <paramref name="type"/>; <c>llm.chat</c> uses <paramref name="llm"/> (else the environment), the file
    /// handlers <paramref name="files"/> (else <c>SWITCHYARD_FS_ROOTS</c>).
    /// </summary>
    public static ITaskHandler Create(string type, LlmOptions? llm = null, FileAccessOptions? files = null) => type switch
    {
        ShellExecHandler.TypeName => new ShellExecHandler(),
        HttpRequestHandler.TypeName => new HttpRequestHandler(),
        LlmChatHandler.TypeName => new LlmChatHandler(llm),
        FsScanHandler.TypeName => new FsScanHandler(files ?? FileAccessOptions.FromEnvironment(Environment.GetEnvironmentVariable)),
        FsReadHandler.TypeName => new FsReadHandler(files ?? FileAccessOptions.FromEnvironment(Environment.GetEnvironmentVariable)),
        FsWriteHandler.TypeName => new FsWriteHandler(files ?? FileAccessOptions.FromEnvironment(Environment.GetEnvironmentVariable)),
        AnalysisScanHandler.TypeName => new AnalysisScanHandler(files ?? FileAccessOptions.FromEnvironment(Environment.GetEnvironmentVariable)),
        _ => throw new ArgumentException($"'{type}' is not a built-in handler; there are {string.Join(", ", Names)}.", nameof(type)),
    };

    /// <summary>Registers the built-in handlers named in <paramref name="types"/>.</summary>
    public static SwitchyardWorker HandleBuiltIn(
        this SwitchyardWorker worker, IEnumerable<string> types, LlmOptions? llm = null, FileAccessOptions? files = null)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(types);
        foreach (var type in types)
        {
            worker.Handle(type, Create(type, llm, files));
        }

        return worker;
    }
}
