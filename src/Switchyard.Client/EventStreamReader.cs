using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Switchyard.Client.Contracts;

namespace Switchyard.Client;

/// <summary>Opens <c>GET /api/v1/events</c> and reads its server-sent events as <see cref="EventDto"/>s.</summary>
internal static class EventStreamReader
{
    public static async IAsyncEnumerable<EventDto> ReadAsync(
        HttpClient http, TimeSpan headersTimeout, EventStreamFilter? filter, long? lastEventId,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var path = (filter ?? new EventStreamFilter()).AddTo(new QueryString("api/v1/events")).ToString();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is { } after)
        {
            request.Headers.Add("Last-Event-ID", after.ToString(CultureInfo.InvariantCulture));
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (headersTimeout != Timeout.InfiniteTimeSpan)
        {
            limit.CancelAfter(headersTimeout);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The server did not answer GET {path} within {headersTimeout.TotalSeconds:0.#} s.", ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw await ProblemReader.ReadAsync(response, cancellationToken);
            }

            limit.CancelAfter(Timeout.InfiniteTimeSpan);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var parser = SseParser.Create(body, static (_, data) => JsonSerializer.Deserialize(data, ClientJson.Context.EventDto));
            await foreach (var item in parser.EnumerateAsync(cancellationToken))
            {
                if (item.Data is { } frame)
                {
                    yield return frame;
                }
            }
        }
    }
}
