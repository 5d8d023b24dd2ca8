using Microsoft.Extensions.Logging;

namespace Switchyard.Worker;

/// <summary>The worker runtime's log messages: 6001-6049 connection and lifecycle, 6050-6099 tasks.</summary>
internal static partial class WorkerLog
{
    public const string Category = "Switchyard.Worker";

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Connected to {Server} as {WorkerId} (capacity {Capacity}, heartbeat every {HeartbeatMs} ms)")]
    public static partial void Connected(this ILogger logger, Uri server, string workerId, int capacity, long heartbeatMs);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "Cannot connect to {Server}: {Reason}")]
    public static partial void ConnectFailed(this ILogger logger, Uri server, string reason);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Information, Message = "Reconnecting in {DelayMs} ms")]
    public static partial void Reconnecting(this ILogger logger, long delayMs);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "Disconnected ({Reason}); {Lost} held task(s) lost to the server's hand-back")]
    public static partial void Disconnected(this ILogger logger, string reason, int lost);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Error, Message = "The server refused this worker: {Reason}")]
    public static partial void Refused(this ILogger logger, string reason);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Information, Message = "The server sent quiet: no more tasks on this connection")]
    public static partial void QuietReceived(this ILogger logger);

    [LoggerMessage(EventId = 6007, Level = LogLevel.Information, Message = "The server sent terminate: finishing within {GraceMs} ms, then closing")]
    public static partial void TerminateReceived(this ILogger logger, long graceMs);

    [LoggerMessage(EventId = 6008, Level = LogLevel.Information, Message = "Stopping: waiting up to {GraceMs} ms for {Running} running task(s)")]
    public static partial void Stopping(this ILogger logger, int running, long graceMs);

    [LoggerMessage(EventId = 6009, Level = LogLevel.Warning, Message = "Stopping: cancelling {Count} task(s) still running and reporting them failed (retryable)")]
    public static partial void AbortingTasks(this ILogger logger, int count);

    [LoggerMessage(EventId = 6010, Level = LogLevel.Information, Message = "Stopped")]
    public static partial void Stopped(this ILogger logger);

    [LoggerMessage(EventId = 6011, Level = LogLevel.Warning, Message = "The server refused a frame: {Code}: {Message} (task {TaskId})")]
    public static partial void FrameRefused(this ILogger logger, string code, string message, string? taskId);

    [LoggerMessage(EventId = 6012, Level = LogLevel.Debug, Message = "Skipped a frame this worker does not understand: {Reason}")]
    public static partial void UnreadableFrame(this ILogger logger, string reason);

    [LoggerMessage(EventId = 6013, Level = LogLevel.Critical, Message = "The connection loop failed; the worker stops")]
    public static partial void LoopFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6050, Level = LogLevel.Debug, Message = "Task {TaskId} ({Type}) started, attempt {Attempt}")]
    public static partial void TaskStarted(this ILogger logger, string taskId, string type, int attempt);

    [LoggerMessage(EventId = 6051, Level = LogLevel.Information, Message = "Task {TaskId} ({Type}) completed in {ElapsedMs} ms")]
    public static partial void TaskCompleted(this ILogger logger, string taskId, string type, long elapsedMs);

    [LoggerMessage(EventId = 6052, Level = LogLevel.Warning, Message = "Task {TaskId} ({Type}) failed in {ElapsedMs} ms: {Kind} {Code}: {Message}")]
    public static partial void TaskFailed(this ILogger logger, string taskId, string type, long elapsedMs, string? kind, string? code, string message);

    [LoggerMessage(EventId = 6053, Level = LogLevel.Information, Message = "Task {TaskId} cancelled by the server ({Reason})")]
    public static partial void TaskCancelled(this ILogger logger, string taskId, string reason);

    [LoggerMessage(EventId = 6054, Level = LogLevel.Warning, Message = "Task {TaskId} lost ({Reason}); its handler is cancelled")]
    public static partial void TaskLost(this ILogger logger, string taskId, string reason);

    [LoggerMessage(EventId = 6055, Level = LogLevel.Warning, Message = "Task {TaskId} ({Type}) stopped with the worker; reported failed (retryable)")]
    public static partial void TaskAborted(this ILogger logger, string taskId, string type);

    [LoggerMessage(EventId = 6056, Level = LogLevel.Warning, Message = "Task {TaskId}: the connection closed before its report was sent")]
    public static partial void ReportNotSent(this ILogger logger, string taskId);

    [LoggerMessage(EventId = 6057, Level = LogLevel.Debug, Message = "Task {TaskId}: the handler ended after the task was taken away; its outcome is dropped")]
    public static partial void OutcomeDropped(this ILogger logger, string taskId);
}
