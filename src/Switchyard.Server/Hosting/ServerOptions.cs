using System.Net;

namespace Switchyard.Server.Hosting;

/// <summary>Where the server listens and what it accepts; bound from the <c>Server</c> configuration section.</summary>
public sealed class ServerOptions
{
    public const string Section = "Server";
    public const string DefaultHost = "127.0.0.1";
    public const int DefaultPort = 7400;
    public const string DefaultDataDirectory = "data";
    public const long DefaultMaxRequestBytes = 1024 * 1024;
    public const string SqliteStore = "sqlite";
    public const string PostgresStore = "postgres";

    /// <summary>Address to bind; anything but loopback requires API keys.</summary>
    public string Host { get; set; } = DefaultHost;

    /// <summary>TCP port; 0 picks a free one.</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>Folder of the embedded store.</summary>
    public string DataDirectory { get; set; } = DefaultDataDirectory;

    /// <summary>Which store holds the tasks: <c>sqlite</c> (embedded, in <see cref="DataDirectory"/>) or <c>postgres</c> (the <c>Postgres</c> section).</summary>
    public string Store { get; set; } = SqliteStore;

    /// <summary>Largest request body accepted; larger ones get 413 payload_too_large.</summary>
    public long MaxRequestBytes { get; set; } = DefaultMaxRequestBytes;

    /// <summary>What a refused oversized body is told: the limit (when known) and its setting.</summary>
    public static string TooLargeDetail(long? maxBytes) => maxBytes is { } max
        ? $"The request body is larger than the server accepts: at most {max.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} bytes (Server:MaxRequestBytes)."
        : "The request body is larger than the server accepts (Server:MaxRequestBytes).";

    /// <summary>The store named by <see cref="Store"/>, trimmed and lower-cased; <c>null</c> when it names none.</summary>
    public string? StoreKind => Store?.Trim().ToLowerInvariant() switch
    {
        SqliteStore => SqliteStore,
        PostgresStore => PostgresStore,
        _ => null,
    };

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (StoreKind is null)
        {
            problems.Add($"Server:Store must be '{SqliteStore}' or '{PostgresStore}', not '{Store}' (--store, SWITCHYARD_STORE)");
        }

        if (Port is < IPEndPoint.MinPort or > IPEndPoint.MaxPort)
        {
            problems.Add($"Server:Port must be a TCP port from 0 (any free one) to {IPEndPoint.MaxPort}, not {Port} (--port, SWITCHYARD_PORT)");
        }

        if (Host != "localhost" && !IPAddress.TryParse(Host, out _))
        {
            problems.Add($"Server:Host must be an IP address of this machine (such as 127.0.0.1 or 0.0.0.0) or 'localhost', not '{Host}' (--host, SWITCHYARD_HOST)");
        }

        if (MaxRequestBytes < 1)
        {
            problems.Add($"Server:MaxRequestBytes must be at least 1, not {MaxRequestBytes}");
        }

        return problems;
    }
}
