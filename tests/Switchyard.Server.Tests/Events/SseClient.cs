using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Switchyard.Client.Contracts;

namespace Switchyard.Server.Tests.Events;

/// <summary>A raw <c>text/event-stream</c> reader over a real HTTP connection: frames exactly as the server wrote them.</summary>
public sealed class SseClient : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseClient(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body, Encoding.UTF8);
    }

    public HttpResponseMessage Response => _response;

    /// <summary>Opens the stream at <paramref name="query"/> and reads up to its <c>stream.open</c> frame (so the subscription is live).</summary>
    public static async Task<SseClient> OpenAsync(TestServer server, string query = "", string? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/events" + query);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var client = new SseClient(response, await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        var open = await client.NextAsync();
        Assert.Equal("stream.open", open.Event);
        return client;
    }

    /// <summary>The next frame that carries data (comments and the retry field are skipped).</summary>
    public async Task<SseFrame> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(10));
        string? id = null, type = null, data = null;
        while (await _reader.ReadLineAsync(cts.Token) is { } line)
        {
            if (line.Length == 0)
            {
                if (data is not null)
                {
                    return new SseFrame(id, type, data);
                }

                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var (field, value) = colon <= 0 ? (line, string.Empty) : (line[..colon], line[(colon + 1)..].TrimStart(' '));
            switch (field)
            {
                case "id": id = value; break;
                case "event": type = value; break;
                case "data": data = value; break;
            }
        }

        throw new EndOfStreamException("The server ended the stream.");
    }

    /// <summary>Frames until one for which <paramref name="last"/> holds, that one included.</summary>
    public async Task<List<SseFrame>> ReadUntilAsync(Func<SseFrame, bool> last)
    {
        var frames = new List<SseFrame>();
        while (true)
        {
            var frame = await NextAsync();
            frames.Add(frame);
            if (last(frame))
            {
                return frames;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        await Task.CompletedTask;
    }
}

/// <summary>One server-sent event: its <c>id</c>, <c>event</c> and <c>data</c> fields.</summary>
public sealed record SseFrame(string? Id, string? Event, string Data)
{
    public EventDto Dto => JsonSerializer.Deserialize(Data, ContractsJsonContext.Default.EventDto)!;
}
