using System.Net;
using Switchyard.Server.Hosting;

namespace Switchyard.Bench;

/// <summary>A real server on a free loopback port with a fresh data folder; an HTTP client tuned for many concurrent calls.</summary>
internal sealed class BenchServer : IAsyncDisposable
{
    private readonly RunningServer _server;

    private BenchServer(RunningServer server, string data)
    {
        _server = server;
        Data = data;
        Http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 256,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            BaseAddress = server.BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public HttpClient Http { get; }

    public string Data { get; }

    public IServiceProvider Services => _server.Services;

    public static async Task<BenchServer> StartAsync(string durability, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var data = Directory.CreateTempSubdirectory("switchyard-bench-").FullName;
        var all = new Dictionary<string, string?>
        {
            ["Server:Port"] = "0",
            ["Server:DataDirectory"] = data,
            ["Sqlite:Durability"] = durability,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Server:MaxRequestBytes"] = (16 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        foreach (var (key, value) in BenchSettings.FromEnvironment())
        {
            all[key] = value;
        }

        var app = SwitchyardServer.Build(all);
        return new BenchServer(await SwitchyardServer.StartAsync(app, CancellationToken.None), data);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(Data, recursive: true);
    }
}
