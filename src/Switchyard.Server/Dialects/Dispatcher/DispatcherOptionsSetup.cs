using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchyard.Core.Engine;

namespace Switchyard.Server.Dialects.Dispatcher;

/// <summary>
/// Reads <see cref="DispatcherOptions"/>: each setting from <c>Dispatcher:&lt;Key&gt;</c> when given, else from the
/// origin's environment variable. Unset or empty → the default; anything but an integer in range → the default and
/// a warning. Settings that contradict each other stop the server at start.
/// </summary>
internal sealed partial class DispatcherOptionsSetup(IConfiguration section, EnvironmentVariables environment, ILogger<DispatcherOptionsSetup> logger)
    : IConfigureOptions<DispatcherOptions>, IValidateOptions<DispatcherOptions>
{
    public void Configure(DispatcherOptions options)
    {
        options.TaskTimeoutMs = Read("TASK_TIMEOUT_MS", nameof(options.TaskTimeoutMs), DispatcherOptions.TaskTimeoutMsDefault, NewTasks.MaxDelayMs);
        options.MinTaskTimeoutMs = Read("MIN_TASK_TIMEOUT_MS", nameof(options.MinTaskTimeoutMs), DispatcherOptions.MinTaskTimeoutMsDefault, NewTasks.MaxDelayMs);
        options.MaxTaskTimeoutMs = Read("MAX_TASK_TIMEOUT_MS", nameof(options.MaxTaskTimeoutMs), DispatcherOptions.MaxTaskTimeoutMsDefault, NewTasks.MaxDelayMs);
        options.MaxQueueLength = (int)Read("MAX_QUEUE_LENGTH", nameof(options.MaxQueueLength), DispatcherOptions.MaxQueueLengthDefault, int.MaxValue);
        options.TaskResultTtlMs = Read("TASK_RESULT_TTL_MS", nameof(options.TaskResultTtlMs), DispatcherOptions.TaskResultTtlMsDefault, NewTasks.MaxDelayMs);
    }

    public ValidateOptionsResult Validate(string? name, DispatcherOptions options) =>
        options.Validate() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;

    private long Read(string variable, string key, long fallback, long max)
    {
        var configured = section[key];
        var (source, raw) = string.IsNullOrEmpty(configured)
            ? (variable, environment[variable])
            : ($"{DispatcherOptions.Section}:{key}", configured);
        if (string.IsNullOrEmpty(raw))
        {
            return fallback;
        }

        if (long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0 && value <= max)
        {
            return value;
        }

        LogInvalid(logger, source, raw, max, fallback);
        return fallback;
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning,
        Message = "{Setting} is '{Value}', not an integer between 0 and {Max}; using the default {Default}")]
    private static partial void LogInvalid(ILogger logger, string setting, string value, long max, long @default);
}
