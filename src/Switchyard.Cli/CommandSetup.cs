namespace Switchyard.Cli;

/// <summary>What every command needs when it is built: the shared options and the environment it runs in.</summary>
internal sealed record CommandSetup(GlobalOptions Globals, CliEnvironment Environment);
