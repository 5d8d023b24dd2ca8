using Switchyard.Worker;
using Switchyard.Worker.Handlers;

namespace Switchyard.Cli.Worker;

/// <summary>
/// <c>switchyard worker --handlers ...</c>: the .NET push runtime (<see cref="SwitchyardWorker"/>) with built-in
/// handlers, until the first Ctrl+C/SIGTERM (finish running tasks within the grace period) or the second (stop now).
/// </summary>
internal static class PushWorkerRunner
{
    public static async Task<int> RunAsync(
        PushWorkerSettings settings, Uri server, string? apiKey, CliEnvironment environment, TextWriter log, CancellationToken stopping)
    {
        var unknown = settings.Handlers.Except(BuiltInHandlers.Names, StringComparer.Ordinal).ToArray();
        if (unknown.Length > 0 || settings.Handlers.Count == 0)
        {
            throw new CliUsageException($"--handlers takes {string.Join(", ", BuiltInHandlers.Names)}; not '{string.Join(",", unknown)}'");
        }

        if (settings.Types.Except(settings.Handlers, StringComparer.Ordinal).ToArray() is { Length: > 0 } unhandled)
        {
            throw new CliUsageException(
                $"--type narrows the handlers' types ({string.Join(", ", settings.Handlers)}); no handler here takes '{string.Join(",", unhandled)}'");
        }

        if (settings.Capacity is < 1 or > SwitchyardWorkerOptions.MaxCapacity)
        {
            throw new CliUsageException($"--capacity takes 1 to {SwitchyardWorkerOptions.MaxCapacity} tasks at once, not {settings.Capacity}");
        }

        if (settings.LeaseMs is < 1)
        {
            throw new CliUsageException($"--lease-ms takes a positive number of milliseconds, not {settings.LeaseMs}");
        }

        var options = new SwitchyardWorkerOptions
        {
            Server = server,
            ApiKey = apiKey,
            Name = settings.Name,
            Queues = settings.Queues,
            Groups = settings.Groups,
            Types = settings.Types.Count > 0 ? settings.Types : null,
            Capacity = settings.Capacity,
            LeaseMs = settings.LeaseMs,
            ShutdownGrace = settings.Grace,
        };
        var llm = LlmOptions.FromEnvironment(environment.GetVariable);
        if (!string.IsNullOrWhiteSpace(settings.LlmBaseUrl))
        {
            llm = llm with { BaseUrl = settings.LlmBaseUrl };
        }

        if (settings.Handlers.Contains(LlmChatHandler.TypeName, StringComparer.Ordinal)
            && !(Uri.TryCreate(llm.BaseUrl, UriKind.Absolute, out var provider) && provider.Scheme is "http" or "https"))
        {
            throw new CliUsageException(
                $"llm.chat needs the provider's base URL: --llm-base-url URL or {LlmOptions.BaseUrlVariable} (e.g. https://api.openai.com/v1)");
        }

        var files = settings.FsRoots.Count > 0 ? new FileAccessOptions { Roots = settings.FsRoots } : FileAccessOptions.FromEnvironment(environment.GetVariable);
        using var loggers = new CliLoggerFactory(log, environment.Time, settings.Verbose, settings.LogPrefix);
        await using var worker = new SwitchyardWorker(options, loggers, environment.Time);
        try
        {
            worker.HandleBuiltIn(settings.Handlers, llm, files);
        }
        catch (ArgumentException ex) when (settings.Handlers.Intersect(BuiltInHandlers.FileNames, StringComparer.Ordinal).Any())
        {
            throw CliUsageException.From(ex);
        }

        CliLog.Line(log, environment.Time, $"{settings.LogPrefix}worker {settings.Name} handling {string.Join(",", settings.Handlers)} " +
                                           $"from {string.Join(",", options.Queues.DefaultIfEmpty("default"))} at {options.SocketUri} (capacity {settings.Capacity})");
        try
        {
            await worker.RunAsync(stopping, environment.Abort);
            return ExitCodes.Ok;
        }
        catch (SwitchyardWorkerException ex)
        {
            await log.WriteLineAsync($"switchyard: {ex.Message}");
            return ExitCodes.ServerError;
        }
    }
}
