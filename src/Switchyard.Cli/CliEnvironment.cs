namespace Switchyard.Cli;

/// <summary>
/// What commands take from the world besides their arguments: standard input, environment variables, the clock
/// and the second shutdown signal. Output goes through System.CommandLine's <c>InvocationConfiguration</c>.
/// Tests supply their own.
/// </summary>
internal sealed class CliEnvironment
{
    public TextReader Input { get; init; } = Console.In;

    /// <summary>Whether <see cref="Input"/> is a pipe or file rather than a terminal.</summary>
    public bool IsInputRedirected { get; init; } = Console.IsInputRedirected;

    public Func<string, string?> GetVariable { get; init; } = Environment.GetEnvironmentVariable;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Fires when shutdown must not wait any longer (a second Ctrl+C or SIGTERM).</summary>
    public CancellationToken Abort { get; init; }
}
