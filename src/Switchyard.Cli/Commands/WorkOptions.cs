using System.CommandLine;

namespace Switchyard.Cli.Commands;

/// <summary>Options of the commands that act on a lease.</summary>
internal static class WorkOptions
{
    public static readonly string[] ErrorKinds = ["retryable", "fatal", "user_actionable"];

    public static Option<long> Token() => new("--token") { Description = "Lease token the claim returned", Required = true };

    public static Option<string> Kind(string name, string description)
    {
        var option = new Option<string>(name) { Description = $"{description}: retryable (default), fatal or user_actionable", DefaultValueFactory = _ => "retryable" };
        option.AcceptOnlyFromAmong(ErrorKinds);
        return option;
    }
}
