namespace Switchyard.Server.Tests.OpenAi;

/// <summary>Reads Server-Sent Events one at a time from a live response: the <c>data</c> of each event, null at the end.</summary>
internal sealed class SseReader(Stream stream) : IDisposable
{
    private readonly StreamReader _reader = new(stream);

    public async Task<string?> NextAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        var data = new List<string>();
        while (true)
        {
            var line = await _reader.ReadLineAsync(timeout.Token);
            if (line is null)
            {
                Assert.Empty(data);
                return null;
            }

            if (line.Length == 0)
            {
                if (data.Count > 0)
                {
                    return string.Join('\n', data);
                }

                continue;
            }

            if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data.Add(line["data:".Length..].TrimStart(' '));
            }
        }
    }

    /// <summary>Every remaining event up to the end of the stream.</summary>
    public async Task<List<string>> RestAsync()
    {
        var events = new List<string>();
        while (await NextAsync() is { } next)
        {
            events.Add(next);
        }

        return events;
    }

    public void Dispose() => _reader.Dispose();
}
