using System.Diagnostics;

namespace Switchyard.Bench.Workloads;

/// <summary>
/// How to run the <c>switchyard</c> command: an executable and the arguments that come before the subcommand
/// (<c>dotnet switchyard.dll</c>, or the apphost with none). The bench starts the server and its worker with it.
/// </summary>
public sealed record SwitchyardCommand(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary><c>dotnet <paramref name="dll"/></c>, with the dotnet host that runs this process when there is one.</summary>
    public static SwitchyardCommand FromDll(string dll) => new(DotnetHost(), [dll]);

    /// <summary>A start description for <c>switchyard <paramref name="arguments"/></c> with stdin, stdout and stderr redirected.</summary>
    public ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in Arguments.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private static string DotnetHost()
    {
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }

        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
    }
}
