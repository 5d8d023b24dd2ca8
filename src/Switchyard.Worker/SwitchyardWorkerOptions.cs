namespace Switchyard.Worker;

/// <summary>Who a <see cref="SwitchyardWorker"/> is, where it connects and what it takes; frozen once the worker starts.</summary>
public sealed record SwitchyardWorkerOptions
{
    public const int DefaultCapacity = 1;
    public const int MaxCapacity = 10_000;
    public const string SocketPath = "ws/v1/worker";
    public static readonly TimeSpan DefaultShutdownGrace = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultReconnectMinDelay = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan DefaultReconnectMaxDelay = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The server: <c>http(s)://host:port</c> (the socket is <c>ws(s)://host:port/ws/v1/worker</c>) or the socket's own <c>ws(s)://</c> address.</summary>
    public required Uri Server { get; init; }

    /// <summary>Sent as <c>Authorization: Bearer</c> on the upgrade request, when the server has API keys.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Shown in the server's worker list (the server gives the id).</summary>
    public string? Name { get; init; }

    /// <summary>Queues to take from; none means <c>default</c>.</summary>
    public IReadOnlyList<string> Queues { get; init; } = [];

    /// <summary>Groups served besides <c>default</c>.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>Task types asked for; null means the types that have a handler.</summary>
    public IReadOnlyList<string>? Types { get; init; }

    /// <summary>
    /// Take every type, even one without a handler (which then fails as fatal <c>no_handler</c>).
    /// Overrides <see cref="Types"/>.
    /// </summary>
    public bool TakeAnyType { get; init; }

    /// <summary>Tasks run at once (the credits given to the server).</summary>
    public int Capacity { get; init; } = DefaultCapacity;

    /// <summary>Lease length for this worker's tasks; the server's default when null.</summary>
    public long? LeaseMs { get; init; }

    /// <summary>On stop, how long running tasks may go on before they are cancelled and reported failed (retryable).</summary>
    public TimeSpan ShutdownGrace { get; init; } = DefaultShutdownGrace;

    /// <summary>First delay before reconnecting; it doubles (with jitter) up to <see cref="ReconnectMaxDelay"/>.</summary>
    public TimeSpan ReconnectMinDelay { get; init; } = DefaultReconnectMinDelay;

    public TimeSpan ReconnectMaxDelay { get; init; } = DefaultReconnectMaxDelay;

    /// <summary>How long the WebSocket upgrade and the hello/welcome exchange may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = DefaultConnectTimeout;

    /// <summary>Sent in hello.</summary>
    public string Version { get; init; } = "switchyard-dotnet/1";

    /// <summary>The WebSocket address of the worker protocol.</summary>
    public Uri SocketUri
    {
        get
        {
            var path = Server.AbsolutePath;
            if (!path.EndsWith("/" + SocketPath, StringComparison.Ordinal))
            {
                path = path.TrimEnd('/') + "/" + SocketPath;
            }

            return new UriBuilder(Server)
            {
                Scheme = Server.Scheme is "https" or "wss" ? "wss" : "ws",
                Path = path,
                Query = string.Empty,
                Fragment = string.Empty,
            }.Uri;
        }
    }

    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Server);
        if (!Server.IsAbsoluteUri || Server.Scheme is not ("http" or "https" or "ws" or "wss"))
        {
            throw new ArgumentException($"'{Server}' is not an http(s) or ws(s) address.", nameof(Server));
        }

        if (Capacity is < 0 or > MaxCapacity)
        {
            throw new ArgumentOutOfRangeException(nameof(Capacity), Capacity, $"must be between 0 and {MaxCapacity}");
        }

        if (LeaseMs is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(LeaseMs), LeaseMs, "must be positive");
        }

        if (ShutdownGrace < TimeSpan.Zero || ReconnectMinDelay <= TimeSpan.Zero || ReconnectMaxDelay < ReconnectMinDelay || ConnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("ShutdownGrace must not be negative; ReconnectMinDelay and ConnectTimeout must be positive; ReconnectMaxDelay at least ReconnectMinDelay.");
        }
    }
}
