namespace Switchyard.Worker.Handlers;

/// <summary>
/// Payload of <c>shell.exec</c>: <c>argv</c> (run without a shell) or <c>command</c> (run by <c>/bin/sh -c</c>);
/// optional <c>stdin</c>, <c>env</c>, <c>cwd</c>, <c>timeoutMs</c>, and <c>nonZeroExit</c>: what a non-zero exit
/// code means (<c>retryable</c> by default, <c>fatal</c>, <c>user_actionable</c>, or <c>complete</c> to return the
/// result anyway).
/// </summary>
internal sealed record ShellExecPayload
{
    public IReadOnlyList<string>? Argv { get; init; }

    public string? Command { get; init; }

    public string? Stdin { get; init; }

    public Dictionary<string, string>? Env { get; init; }

    public string? Cwd { get; init; }

    public long? TimeoutMs { get; init; }

    public string? NonZeroExit { get; init; }
}
