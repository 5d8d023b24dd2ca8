using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Nodes;
using Switchyard.Core.Model;

namespace Switchyard.Worker.Handlers;

/// <summary>
/// <c>shell.exec</c>: runs <c>argv</c> without a shell, or <c>command</c> through <c>/bin/sh -c</c>, and completes
/// with <c>{exitCode, stdout, stderr}</c>. A non-zero exit fails the attempt (retryable unless the payload's
/// <c>nonZeroExit</c> says otherwise); a timeout fails it retryable. The command's process group is killed when the
/// task is cancelled or times out. See docs/worker.md.
/// </summary>
public sealed class ShellExecHandler(ShellExecOptions? options = null, TimeProvider? timeProvider = null) : ITaskHandler
{
    public const string TypeName = "shell.exec";
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(2);

    private readonly ShellExecOptions _options = options ?? new ShellExecOptions();
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public async Task<JsonText> HandleAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var payload = context.PayloadAs(HandlerJson.Default.ShellExecPayload);
        var argv = Argv(payload);
        var onNonZero = NonZeroExit(payload.NonZeroExit);
        if (payload.Cwd is { Length: > 0 } cwd && !Directory.Exists(cwd))
        {
            throw Invalid($"cwd '{cwd}' is not a directory on this worker");
        }

        var environment = Environment(context, payload.Env);
        var program = ExecutableSearch.Find(argv[0], payload.Cwd, environment.GetValueOrDefault("PATH") ?? System.Environment.GetEnvironmentVariable("PATH"))
                      ?? throw new TaskFailedException("command_not_found", $"'{argv[0]}' is not an executable on this worker.", ErrorKind.Fatal);
        using var command = Start([program, .. argv.Skip(1)], environment, payload.Cwd);
        var input = command.WriteInputAsync(payload.Stdin);
        using var timeout = payload.TimeoutMs is { } ms ? new CancellationTokenSource(TimeSpan.FromMilliseconds(ms), _time) : null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout?.Token ?? CancellationToken.None);
        try
        {
            await command.WaitForExitAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
            await command.StopAsync(_options.KillGrace);
            await input;
            await command.DrainAsync(DrainLimit);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TaskFailedException("timeout", $"The command ran longer than {payload.TimeoutMs} ms and was killed.", ErrorKind.Retryable,
                details: Result(command));
        }

        await input;
        await command.DrainAsync(DrainLimit);
        var result = Result(command);
        var exitCode = command.ExitCode ?? -1;
        if (exitCode == 0 || onNonZero is null)
        {
            return result;
        }

        throw new TaskFailedException("exit_code", ExitMessage(exitCode, command.Stderr.ToString()), onNonZero.Value, details: result);
    }

    private ShellCommand Start(IReadOnlyList<string> argv, Dictionary<string, string> environment, string? cwd)
    {
        try
        {
            return ShellCommand.Start(argv, environment, cwd, _options, _time);
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or IOException)
        {
            throw new TaskFailedException("start_failed", $"Could not start '{argv[0]}': {ex.Message}", ErrorKind.Fatal, innerException: ex);
        }
    }

    private IReadOnlyList<string> Argv(ShellExecPayload payload) => (payload.Argv, payload.Command) switch
    {
        ({ Count: > 0 } argv, null) when !string.IsNullOrEmpty(argv[0]) => argv,
        (null, { Length: > 0 } command) => [_options.Shell, "-c", command],
        (not null, not null) => throw Invalid("give either argv (a non-empty list) or command (a string), not both"),
        _ => throw Invalid("give argv (a non-empty list of strings) or command (a string)"),
    };

    /// <summary>The error kind of a non-zero exit; null to complete anyway.</summary>
    private static ErrorKind? NonZeroExit(string? value) => value switch
    {
        null or "retryable" => ErrorKind.Retryable,
        "fatal" => ErrorKind.Fatal,
        "user_actionable" => ErrorKind.UserActionable,
        "complete" => null,
        _ => throw Invalid($"nonZeroExit must be retryable, fatal, user_actionable or complete, not '{value}'"),
    };

    private static Dictionary<string, string> Environment(TaskContext context, Dictionary<string, string>? extra)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["SWITCHYARD_TASK_ID"] = context.TaskId,
            ["SWITCHYARD_TASK_TYPE"] = context.Type,
            ["SWITCHYARD_ATTEMPT"] = context.Attempt.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (name, value) in extra ?? [])
        {
            environment[name] = value;
        }

        return environment;
    }

    private static JsonText Result(ShellCommand command)
    {
        var result = new JsonObject
        {
            ["exitCode"] = command.ExitCode,
            ["stdout"] = command.Stdout.ToString(),
            ["stderr"] = command.Stderr.ToString(),
        };
        if (command.Stdout.Truncated)
        {
            result["stdoutTruncated"] = true;
        }

        if (command.Stderr.Truncated)
        {
            result["stderrTruncated"] = true;
        }

        return new JsonText(result.ToJsonString());
    }

    private static string ExitMessage(int exitCode, string stderr)
    {
        var lines = stderr.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        var tail = string.Join('\n', lines.TakeLast(5)).Trim();
        if (tail.Length > 1000)
        {
            tail = "..." + tail[^1000..];
        }

        return tail.Length == 0 ? $"The command exited with code {exitCode}." : $"The command exited with code {exitCode}: {tail}";
    }

    private static TaskFailedException Invalid(string message) =>
        new("invalid_payload", $"shell.exec: {message}", ErrorKind.Fatal);
}
