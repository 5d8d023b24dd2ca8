using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;

namespace Switchyard.Server.Events;

/// <summary>Writes frames as <c>text/event-stream</c>: <c>id:</c> the seq, <c>event:</c> the type, <c>data:</c> the JSON.</summary>
internal sealed class SseSink(PipeWriter body) : IEventSink
{
    private static readonly byte[] HeartbeatComment = ": heartbeat\n\n"u8.ToArray();

    public ValueTask WriteAsync(long id, string type, byte[] json, CancellationToken cancellationToken)
    {
        Append(string.Create(CultureInfo.InvariantCulture, $"id: {id}\nevent: {type}\ndata: "));
        body.Write(json);
        body.Write("\n\n"u8);
        return ValueTask.CompletedTask;
    }

    /// <summary>Asks the client to wait <paramref name="retryMs"/> before reconnecting (written once, at the start).</summary>
    public void Retry(int retryMs) => Append(string.Create(CultureInfo.InvariantCulture, $"retry: {retryMs}\n\n"));

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        var flushed = await body.FlushAsync(cancellationToken);
        if (flushed.IsCanceled || flushed.IsCompleted)
        {
            throw new OperationCanceledException("The client went away.");
        }
    }

    public ValueTask HeartbeatAsync(long position, CancellationToken cancellationToken)
    {
        body.Write(HeartbeatComment);
        return FlushAsync(cancellationToken);
    }

    private void Append(string text)
    {
        var span = body.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        body.Advance(Encoding.UTF8.GetBytes(text, span));
    }
}
