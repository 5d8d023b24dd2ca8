using Switchyard.Client.Contracts;

namespace Switchyard.Cli.Worker;

/// <summary>What happened to one task: its outcome, how long it ran, the command's exit code and any message.</summary>
internal sealed record TaskReport(TaskDto Task, TaskOutcome Outcome, TimeSpan Duration, int? ExitCode = null, string? Message = null);
