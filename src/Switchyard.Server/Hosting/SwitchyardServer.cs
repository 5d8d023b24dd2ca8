using System.Data.Common;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;
using Switchyard.Core.Storage;
using Switchyard.Server.Endpoints;
using Switchyard.Server.Security;
using Switchyard.Server.WebSockets;

namespace Switchyard.Server.Hosting;

/// <summary>Builds and runs a Switchyard server: configuration, services, middleware and endpoints.</summary>
public static partial class SwitchyardServer
{
    /// <summary>
    /// Builds the application. Configuration, later sources winning: built-in defaults, the JSON file named
    /// by <c>SWITCHYARD_CONFIG</c>, environment variables <c>SWITCHYARD_*</c> (<c>SWITCHYARD_Engine__ResultTtlMs</c>;
    /// shorthands <c>SWITCHYARD_HOST</c>, <c>SWITCHYARD_PORT</c>, <c>SWITCHYARD_DATA</c>, <c>SWITCHYARD_STORE</c>, <c>SWITCHYARD_POSTGRES</c>), then <paramref name="overrides"/>
    /// (command-line options, tests).
    /// </summary>
    public static WebApplication Build(IReadOnlyDictionary<string, string?>? overrides = null, Action<IServiceCollection>? services = null)
    {
        // The slim builder's defaults add appsettings.json with reload on change, which watches the content root
        // (the working directory) recursively before the sources are cleared below; with the data directory under
        // it, every write to the database files woke that watcher.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.Configuration.Sources.Clear();
        ConfigurationSources.Add(builder.Configuration, overrides);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        // A start that fails (the port is taken) is logged by the host with its whole stack, then thrown to whoever started
        // it, which reports it in one line (`switchyard serve`); so the host's own errors show only once the server runs.
        var start = new StartGate();
        builder.Services.AddSingleton(start);
        builder.Logging.AddFilter(HostCategory, level => level >= LogLevel.Information && (level < LogLevel.Error || start.Passed));
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Services.AddSwitchyard(builder.Configuration);
        services?.Invoke(builder.Services);

        var server = builder.Configuration.GetSection(ServerOptions.Section).Get<ServerOptions>() ?? new ServerOptions();
        var security = builder.Configuration.GetSection(SecurityOptions.Section).Get<SecurityOptions>() ?? new SecurityOptions();
        if (security.Validate() is { Count: > 0 } keyProblems)
        {
            throw new InvalidOperationException($"Invalid configuration: {string.Join("; ", keyProblems)}");
        }

        if (!IsLoopback(server.Host) && !security.Enabled)
        {
            throw new InvalidOperationException(
                $"Refusing to listen on '{server.Host}' without API keys. Bind to 127.0.0.1, or configure Security:ApiKeys " +
                "(see docs/configuration.md).");
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            if (server.Host == "localhost")
            {
                kestrel.ListenLocalhost(server.Port);
            }
            else
            {
                kestrel.Listen(IPAddress.Parse(server.Host), server.Port);
            }
        });

        var app = builder.Build();
        var settingsLog = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Switchyard.Server.Settings");
        foreach (var ignored in UnknownSettings.Find(builder.Configuration))
        {
            LogSettingIgnored(settingsLog, ignored);
        }

        app.UseMiddleware<ErrorHandlingMiddleware>();
        // Before the key check, which needs to tell a WebSocket upgrade (it only marks one; nothing is accepted here).
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(15), KeepAliveTimeout = TimeSpan.FromSeconds(30) });
        app.UseMiddleware<ApiKeyMiddleware>();
        app.UseMiddleware<QueryParameters>();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapHealthApi();
        app.MapTasksApi();
        app.MapWorkApi();
        app.MapReviewApi();
        app.MapQueuesApi();
        app.MapTaskTypesApi();
        app.MapWorkersApi();
        app.MapSchedulesApi();
        app.MapWorkerSocket();
        app.MapEventsApi();
        app.UseWhen(c => c.Request.Path == "/metrics", scrape => scrape.Use(async (context, next) =>
        {
            // After the key check: only a scrape that is let in reads the store. Resolved here, not while building, so
            // that a store or setting that cannot start fails the start with its own message.
            await context.RequestServices.GetRequiredService<ServerMetrics>().RefreshAsync(context.RequestAborted);
            await next(context);
        }));
        app.MapMetrics("/metrics", app.Services.GetRequiredService<PrometheusMetrics>().Registry);
        Dialects.OpenAi.OpenAiApi.MapOpenAiApi(app);
        Dialects.Dispatcher.DispatcherDialect.MapDispatcherDialect(app);
        return app;
    }

    /// <summary>Opens the store (recovering what it holds) and starts listening; returns once the server takes requests.</summary>
    /// <exception cref="InvalidOperationException">A setting is invalid, the store cannot be opened, or the port is taken; the message says which.</exception>
    public static async Task<RunningServer> StartAsync(WebApplication app, CancellationToken cancellationToken)
    {
        try
        {
            return await StartCoreAsync(app, cancellationToken);
        }
        catch (OptionsValidationException ex) // thrown where the options are first read, as services are made
        {
            var section = ex.OptionsName is { Length: > 0 } name && name != Options.DefaultName ? $" ({name})" : "";
            throw new InvalidOperationException($"Invalid configuration{section}: {ex.Message}", ex);
        }
    }

    private static async Task<RunningServer> StartCoreAsync(WebApplication app, CancellationToken cancellationToken)
    {
        var store = app.Services.GetRequiredService<StoreInfo>();
        try
        {
            await app.Services.GetRequiredService<ITaskStore>().InitializeAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is DbException or IOException or UnauthorizedAccessException) // a data folder it cannot create or write
        {
            throw new InvalidOperationException($"Could not open the {store.Kind} store ({store.Location}): {ex.Message}", ex);
        }
        await TaskTypes.ControlsStartup.LoadAsync(app.Services, cancellationToken);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The services started before the failure (maintenance loops among them) stop before the store they use goes
            // with the app; else they would run a sweep against a store being disposed, and log that.
            await StopAfterFailedStartAsync(app);
            if (ex is IOException) // Kestrel's "Failed to bind to address http://127.0.0.1:7400: address already in use."
            {
                throw new InvalidOperationException(ex.Message, ex);
            }

            if ((ex as System.Net.Sockets.SocketException ?? ex.InnerException as System.Net.Sockets.SocketException) is { } socket) // an address the system will not bind (::ffff:127.0.0.1)
            {
                var server = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value;
                throw new InvalidOperationException(
                    $"Could not listen on {server.Host} port {server.Port} (Server:Host, Server:Port): {socket.Message}", ex);
            }

            throw;
        }

        app.Services.GetRequiredService<StartGate>().Passed = true;

        if (app.Services.GetService<Storage.Postgres.Cluster.PgListener>() is { } listener)
        {
            await listener.Started.WaitAsync(cancellationToken); // ready only once every move from now on reaches this node
        }

        var state = app.Services.GetRequiredService<ServerState>();
        state.MarkReady();
        app.Lifetime.ApplicationStopping.Register(() =>
        {
            state.MarkStopping();
            var dispatcher = app.Services.GetRequiredService<Core.Dispatch.PushDispatcher>();
            dispatcher.QuietAll();
            _ = StopWaitingAsync(app.Services.GetRequiredService<Core.Engine.TaskBroker>(), dispatcher, app.Logger);
        });
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        LogListening(app.Logger, address, store.Kind, store.Location);
        return new RunningServer(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
    }

    /// <summary>Starts the server and runs it until <paramref name="cancellationToken"/> fires or the process is told to stop.</summary>
    public static async Task RunAsync(IReadOnlyDictionary<string, string?>? overrides, CancellationToken cancellationToken)
    {
        await using var app = Build(overrides);
        await using var running = await StartAsync(app, cancellationToken);
        await app.WaitForShutdownAsync(cancellationToken);
    }

    /// <summary>
    /// Ends the waits of callers whose tasks none of this server's workers holds, so stopping takes no longer than those
    /// workers' reports (the host would otherwise wait its whole shutdown timeout for them, then drop their connections).
    /// </summary>
    private static async Task StopWaitingAsync(Core.Engine.TaskBroker broker, Core.Dispatch.PushDispatcher dispatcher, ILogger logger)
    {
        try
        {
            await broker.StopWaitingAsync(
                task => task.Lease is { } lease && dispatcher.Find(lease.WorkerId)?.Holds(task.Id, lease.Token) == true, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogStopWaitingFailed(logger, ex); // those waits end at the host's shutdown timeout instead
        }
    }

    private static async Task StopAfterFailedStartAsync(WebApplication app)
    {
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await app.StopAsync(limit.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The start's own failure is what gets reported.
        }
    }

    /// <summary>The log category of the generic host's own messages (start, stop, a background service that failed).</summary>
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    public static bool IsLoopback(string host) =>
        host == "localhost" || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "{Problem}")]
    private static partial void LogSettingIgnored(ILogger logger, string problem);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Stopping: could not end the waits of callers whose tasks none of this server's workers holds")]
    private static partial void LogStopWaitingFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Switchyard listening on {Address}, store {Store}: {StoreLocation}")]
    private static partial void LogListening(ILogger logger, string address, string store, string storeLocation);

    /// <summary>Whether the server has started: until then a failed start is reported by whoever started it, not logged by the host.</summary>
    private sealed class StartGate
    {
        public volatile bool Passed;
    }
}
