using System.Net.Http.Json;
using Switchyard.Client.Contracts;

namespace Switchyard.Server.Tests.Events;

public sealed class StalledSubscriberTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sse_ClientStopsReading_DroppedWhileSubmitsGoOn()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Events:Capacity"] = "16",
            ["Events:StallCheckMs"] = "10",
        });
        await using var stalled = await SseClient.OpenAsync(server);

        // The client reads nothing: socket buffers fill, the server's writes block, the ring laps the subscriber.
        EventStatsDto stats;
        var batches = 0;
        do
        {
            using var batch = await server.Http.PostAsJsonAsync("/api/v1/tasks/batch",
                new { tasks = Enumerable.Range(0, 1000).Select(i => new { type = "echo", payload = new { i, pad = new string('x', 200) } }) }, Ct);
            batch.EnsureSuccessStatusCode();
            stats = (await server.Http.GetFromJsonAsync("/api/v1/events/stats", ContractsJsonContext.Default.EventStatsDto, Ct))!;
        }
        while (stats.DroppedSubscribers == 0 && ++batches < 100);

        Assert.Equal(1, stats.DroppedSubscribers);
        Assert.Equal(stats.Published["task.queued"], (batches + 1) * 1000L);

        // What it reads now ends with the notice, or with the connection cut when even the notice could not be sent.
        var ending = await ReadToEndAsync(stalled).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.True(ending is null || ending.Event == "stream.dropped", $"ended with {ending}");
        if (ending is not null)
        {
            Assert.True(ending.Dto.Notice!.Behind > 16);
        }
    }

    private static async Task<SseFrame?> ReadToEndAsync(SseClient client)
    {
        SseFrame? last = null;
        try
        {
            while (true)
            {
                last = await client.NextAsync();
                if (last.Event == "stream.dropped")
                {
                    return last;
                }
            }
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or HttpRequestException)
        {
            return null;
        }
    }
}
