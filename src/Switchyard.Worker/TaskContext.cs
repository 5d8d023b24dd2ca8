using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Switchyard.Client.Contracts;
using Switchyard.Client.Contracts.Worker;
using Switchyard.Core.Model;

namespace Switchyard.Worker;

/// <summary>One task as its handler sees it: the task, its payload, and a way to report progress.</summary>
public sealed class TaskContext
{
    private readonly TaskRun _run;

    internal TaskContext(TaskRun run)
    {
        _run = run;
    }

    /// <summary>The task as the server pushed it (with its lease).</summary>
    public TaskDto Task => _run.Task;

    public string TaskId => Task.Id;

    public string Type => Task.Type;

    /// <summary>Which attempt this is, from 1.</summary>
    public int Attempt => Task.Attempt;

    public JsonText Payload => Task.Payload;

    /// <summary>The id the server gave this worker's connection.</summary>
    public string WorkerId => _run.Owner.WorkerId;

    /// <summary>Fires when the task is cancelled, its lease is lost or the worker stops (the same token the handler gets).</summary>
    public CancellationToken CancellationToken => _run.Token;

    /// <summary>The payload as a <see cref="JsonElement"/>.</summary>
    public JsonElement PayloadElement() => Payload.ToElement();

    /// <summary>The payload read as <typeparamref name="T"/>; a payload that does not fit fails the task (fatal <c>invalid_payload</c>).</summary>
    public T PayloadAs<T>(JsonTypeInfo<T> typeInfo)
    {
        try
        {
            return JsonSerializer.Deserialize(Payload.Raw ?? "null", typeInfo)
                   ?? throw new TaskFailedException("invalid_payload", $"A '{Type}' task needs a payload.", ErrorKind.Fatal);
        }
        catch (JsonException ex)
        {
            var what = (typeInfo.OriginatingResolver ?? typeInfo.Options.TypeInfoResolver) is JsonSerializerContext context
                ? ContractJsonErrors.Describe(ex, context)
                : ex.Message;
            throw new TaskFailedException("invalid_payload", $"The payload does not fit a '{Type}' task: {what}", ErrorKind.Fatal, innerException: ex);
        }
    }

    /// <summary>
    /// Tells the server how the task is doing; subscribers see at most 10 reports a second, in-process readers
    /// (streams) all of them. Waits only when the connection's send queue is full. A report after the task was
    /// cancelled or lost is dropped.
    /// </summary>
    public async Task ReportProgressAsync(double? percent, string? message = null, JsonText? data = null, CancellationToken cancellationToken = default)
    {
        if (!_run.IsRunning)
        {
            return;
        }

        var frame = WorkerSocket.Serialize(new ProgressMessage(TaskId, _run.LeaseToken, percent, message, data));
        if (frame.Length > WorkerSocket.MaxFrameBytes)
        {
            throw new ArgumentException($"A progress report is limited to {WorkerSocket.MaxFrameBytes} bytes; this one has {frame.Length}.", nameof(data));
        }

        await _run.Owner.SendAsync(frame, cancellationToken);
    }
}
