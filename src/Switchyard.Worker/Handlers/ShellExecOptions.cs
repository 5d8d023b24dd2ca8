namespace Switchyard.Worker.Handlers;

/// <summary>Limits of the <c>shell.exec</c> handler.</summary>
public sealed record ShellExecOptions
{
    public const int DefaultMaxStdoutChars = 256 * 1024;
    public const int DefaultMaxStderrChars = 64 * 1024;

    /// <summary>The shell that runs a <c>command</c>.</summary>
    public string Shell { get; init; } = "/bin/sh";

    /// <summary>Stdout kept in the result (the first characters); the rest is dropped and <c>stdoutTruncated</c> set.</summary>
    public int MaxStdoutChars { get; init; } = DefaultMaxStdoutChars;

    /// <summary>Stderr kept in the result (the last characters).</summary>
    public int MaxStderrChars { get; init; } = DefaultMaxStderrChars;

    /// <summary>Between SIGTERM and SIGKILL when a command must end (cancelled, timed out).</summary>
    public TimeSpan KillGrace { get; init; } = TimeSpan.FromSeconds(2);
}
