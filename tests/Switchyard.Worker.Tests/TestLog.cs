using Microsoft.Extensions.Logging;

namespace Switchyard.Worker.Tests;

/// <summary>Writes log lines to the current test's output (shown when a test fails).</summary>
public sealed class TestLog : ILoggerProvider, ILogger
{
    public static ILoggerFactory Factory { get; } = LoggerFactory.Create(b => b.AddProvider(new TestLog()).SetMinimumLevel(LogLevel.Debug));

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        try
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} {logLevel}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
        }
        catch (InvalidOperationException)
        {
            // The test has ended.
        }
    }

    public void Dispose()
    {
    }
}
