using System.CommandLine;

namespace Switchyard.Cli;

/// <summary>Options every client command accepts, before or after its name.</summary>
internal sealed class GlobalOptions
{
    public const string ServerVariable = "SWITCHYARD_SERVER";
    public const string ApiKeyVariable = "SWITCHYARD_API_KEY";
    public const string DefaultServer = "http://127.0.0.1:7400";

    public Option<string?> Server { get; } = new("--server", "-s")
    {
        Description = $"Server address (default: env {ServerVariable}, else {DefaultServer})",
        Recursive = true,
    };

    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = $"API key (default: env {ApiKeyVariable})",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print JSON (one object per line for lists) instead of text and tables",
        Recursive = true,
    };
}
