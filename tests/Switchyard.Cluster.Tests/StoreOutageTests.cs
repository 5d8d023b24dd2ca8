using System.Net;
using System.Text.Json;
using Npgsql;
using Switchyard.Storage.Conformance.Postgres;

namespace Switchyard.Cluster.Tests;

/// <summary>
/// A node whose database goes away (every connection dropped, new ones refused) and comes back: it says so, as a 503
/// with a stable code and <c>Retry-After</c> on the API and as not ready on <c>/readyz</c>, still serves <c>/metrics</c>,
/// and takes work again once the database is back.
/// </summary>
public sealed class StoreOutageTests(SharedPostgres postgres) : ServerNodesTest(postgres)
{
    [Fact]
    public async Task DatabaseAway_ApiAnswers503Unavailable_NotReady_MetricsServed_ThenBackToWork()
    {
        var direct = new NpgsqlConnectionStringBuilder(ConnectionString);
        await using var relay = new TcpRelay(direct.Host!, direct.Port);
        var viaRelay = new NpgsqlConnectionStringBuilder(direct.ConnectionString) { Host = "127.0.0.1", Port = relay.Port, Timeout = 3 };
        await using var node = await ServerNode.StartAsync(viaRelay.ConnectionString, Schema, new { Cluster = new { ReconnectMaxMs = 300 } }, Ct);

        await relay.CutAsync();
        await Poll.UntilAsync(async () => await StatusAsync(node, "/readyz") == HttpStatusCode.ServiceUnavailable, Bound, Ct, node);
        using (var read = await node.Http.GetAsync("/api/v1/tasks/some-task", Ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, read.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(5), read.Headers.RetryAfter?.Delta);
            using var problem = JsonDocument.Parse(await read.Content.ReadAsStringAsync(Ct));
            Assert.Equal("unavailable", problem.RootElement.GetProperty("code").GetString());
            Assert.Equal("The store cannot be reached now (the reason is in the server's log); try again shortly.",
                problem.RootElement.GetProperty("detail").GetString());
        }

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(node, "/metrics"));

        relay.Mend();
        await Poll.UntilAsync(async () => await StatusAsync(node, "/readyz") == HttpStatusCode.OK, Bound, Ct, node);
        var id = await node.SubmitAsync(new() { Type = "after-outage" }, Ct);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(node, $"/api/v1/tasks/{id}"));
    }

    private static async Task<HttpStatusCode> StatusAsync(ServerNode node, string path)
    {
        using var response = await node.Http.GetAsync(path, Ct);
        return response.StatusCode;
    }
}
