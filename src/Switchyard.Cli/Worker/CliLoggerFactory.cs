using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Switchyard.Cli.Worker;

/// <summary>
/// Logs of the push worker as lines on a writer (stderr): <c>HH:mm:ss.fff [prefix]message</c>, warnings and errors
/// marked, debug lines only when <paramref name="verbose"/>. Thread-safe.
/// </summary>
internal sealed class CliLoggerFactory(TextWriter writer, TimeProvider time, bool verbose, string prefix = "") : ILoggerFactory, ILogger
{
    private readonly Lock _gate = new();

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= (verbose ? LogLevel.Debug : LogLevel.Information) && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var mark = logLevel switch
        {
            LogLevel.Warning => "warning: ",
            LogLevel.Error or LogLevel.Critical => "error: ",
            _ => string.Empty,
        };
        var stamp = time.GetUtcNow().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
        var line = $"{stamp} {prefix}{mark}{formatter(state, exception)}{(exception is null ? string.Empty : ": " + exception.Message)}";
        lock (_gate)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    public void Dispose()
    {
    }
}
