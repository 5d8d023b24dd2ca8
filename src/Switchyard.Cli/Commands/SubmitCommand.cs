using System.CommandLine;
using Switchyard.Cli.Output;
using Switchyard.Client;
using Switchyard.Client.Contracts;

namespace Switchyard.Cli.Commands;

/// <summary><c>switchyard submit TYPE [PAYLOAD]</c>: stores a task; prints its id, or with <c>--wait</c> the settled task.</summary>
internal static class SubmitCommand
{
    public static Command Build(CommandSetup setup)
    {
        var type = new Argument<string>("TYPE") { Description = "Task type, e.g. llm.chat or shell.exec" };
        var payload = new Argument<string?>("PAYLOAD")
        {
            Description = "Payload JSON; '-' reads standard input (read too when it is redirected and no payload is given)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var file = new Option<string?>("--file", "-f") { Description = "Read the payload JSON from this file" };
        var queue = new Option<string?>("--queue", "-q") { Description = "Queue (default: default)" };
        var group = new Option<string?>("--group", "-g") { Description = "Routing group, e.g. a model name (default: default)" };
        var priority = new Option<int?>("--priority", "-p") { Description = "Priority, higher first (default 0)" };
        var maxAttempts = new Option<int?>("--max-attempts") { Description = "Attempts before the task fails" };
        var timeoutMs = new Option<long?>("--timeout-ms") { Description = "Deadline in milliseconds from submission" };
        var leaseMs = new Option<long?>("--lease-ms") { Description = "Lease length a worker gets, in milliseconds" };
        var delayMs = new Option<long?>("--delay-ms") { Description = "Run no earlier than this many milliseconds from now" };
        var runAt = new Option<DateTimeOffset?>("--run-at") { Description = "Run no earlier than this time (RFC 3339)" };
        var idempotencyKey = new Option<string?>("--idempotency-key", "-k") { Description = "Submitting the same key again returns the first task" };
        var labels = Options.Labels("Label key=value (repeatable)");
        var id = new Option<string?>("--id") { Description = "Task id (default: a server-made UUIDv7)" };
        var correlationId = new Option<string?>("--correlation-id") { Description = "Correlation id shared by related tasks" };
        var review = new Option<bool>("--review") { Description = "Hold the result for review (accept or reject) before completing" };
        var dependsOn = new Option<string[]>("--depends-on", "-d")
        {
            Description = "Run only after this task completes (repeatable)",
            AllowMultipleArgumentsPerToken = false,
        };
        var onDependencyFailure = new Option<string?>("--on-dependency-failure")
        {
            Description = "fail (default), cancel or ignore: what a failed or cancelled dependency does to this task",
        };
        var parent = new Option<string?>("--parent") { Description = "Parent task id; the child inherits its correlation id" };
        var wait = Options.Wait(
            "Wait for the task to settle, at most SECONDS (no value: until settled) and print it; " +
            "exit 4 if it failed, 5 if cancelled, 6 if still unsettled");
        var command = new Command("submit", "Submit a task.")
        {
            type, payload, file, queue, group, priority, maxAttempts, timeoutMs, leaseMs, delayMs, runAt,
            idempotencyKey, labels, id, correlationId, review, dependsOn, onDependencyFailure, parent, wait,
        };
        CliAction.Set(command, setup, async (context, cancellationToken) =>
        {
            var waitFor = context.Parse.GetWait(wait, out var displaced) switch
            {
                null => SubmitWait.None,
                { } w when w == Timeout.InfiniteTimeSpan => SubmitWait.UntilSettled,
                { } w => SubmitWait.For(w),
            };
            var payloadText = context.Get(payload);
            if (displaced is not null)
            {
                payloadText = payloadText is null ? displaced : throw new CliUsageException($"--wait takes a number of seconds, not '{displaced}'");
            }

            var request = new SubmitTaskRequest
            {
                Id = context.Get(id),
                Type = context.Get(type),
                Queue = context.Get(queue),
                Group = context.Get(group),
                Priority = context.Get(priority),
                Payload = await JsonInput.ReadAsync("payload", payloadText, context.Get(file), true, context.Environment, cancellationToken),
                MaxAttempts = context.Get(maxAttempts),
                TimeoutMs = context.Get(timeoutMs),
                LeaseMs = context.Get(leaseMs),
                DelayMs = context.Get(delayMs),
                RunAt = context.Get(runAt),
                IdempotencyKey = context.Get(idempotencyKey),
                Labels = Options.ParseLabels(context.Get(labels)),
                CorrelationId = context.Get(correlationId),
                Review = context.Get(review) ? "required" : null,
                DependsOn = context.Get(dependsOn) is { Length: > 0 } deps ? deps : null,
                OnDependencyFailure = context.Get(onDependencyFailure),
                ParentId = context.Get(parent),
            };
            if (waitFor.Duration is not null)
            {
                // Made here rather than by the client, so that a Ctrl+C can name the task that goes on.
                request = request with { Id = request.Id ?? Guid.CreateVersion7().ToString() };
            }

            SubmitResult submitted;
            try
            {
                submitted = await context.Client.SubmitAsync(request, waitFor, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && waitFor.Duration is not null)
            {
                await context.Error.WriteLineAsync(await StoppedWaitingAsync(context, request.Id!));
                throw;
            }

            if (submitted.Replayed)
            {
                await context.Error.WriteLineAsync($"switchyard: idempotency key matched task {submitted.Task.Id}; nothing new was stored");
            }

            if (waitFor.Duration is not null)
            {
                await TaskOutput.WriteAsync(context, submitted.Task);
                return TaskOutput.ExitCodeOf(submitted.Task);
            }

            await (context.Json ? TaskOutput.WriteAsync(context, submitted.Task) : context.Out.WriteLineAsync(submitted.Task.Id));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>What a Ctrl+C during a waiting submit leaves: the task goes on (the server keeps it), so name it and its state.</summary>
    private static async Task<string> StoppedWaitingAsync(CliContext context, string id)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            var task = await context.Client.GetAsync(id, cancellationToken: bound.Token);
            return TaskOutput.ExitCodeOf(task) == ExitCodes.NotSettled
                ? $"switchyard: stopped waiting; task {id} is {task.State} and goes on (follow it: switchyard get {id} --wait; stop it: switchyard cancel {id})"
                : $"switchyard: stopped waiting; task {id} is {task.State} (switchyard get {id} shows it)";
        }
        catch (Exception ex) when (ex is SwitchyardApiException or HttpRequestException or OperationCanceledException or TimeoutException)
        {
            // Not found may only mean the send is still on its way; unreachable tells nothing.
            return $"switchyard: stopped waiting; task {id} may have been stored (switchyard get {id} tells)";
        }
    }
}
