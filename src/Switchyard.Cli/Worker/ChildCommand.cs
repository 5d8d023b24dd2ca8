using System.CommandLine;
using System.CommandLine.Parsing;
using System.Reflection;

namespace Switchyard.Cli.Worker;

/// <summary>
/// How a pool starts a child: this same executable, with the pool's own command line minus <c>--min</c>, <c>--max</c>
/// and the name (each child gets a name of its own, <see cref="Named"/>).
/// </summary>
internal sealed record ChildCommand(string FileName, IReadOnlyList<string> Arguments)
{
    public static readonly string[] PoolOptions = ["--min", "--max", "--name", "--worker-id"];

    /// <summary>The running <c>switchyard</c> (its apphost, or <c>dotnet switchyard.dll</c>) with <paramref name="arguments"/>.</summary>
    public static ChildCommand Self(IReadOnlyList<string> arguments)
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this executable is unknown.");
        var entry = Assembly.GetEntryAssembly()?.Location;
        return Path.GetFileNameWithoutExtension(process) == "dotnet" && !string.IsNullOrEmpty(entry)
            ? new ChildCommand(process, [entry, .. arguments])
            : new ChildCommand(process, arguments);
    }

    /// <summary>This command with <c>--name <paramref name="name"/></c> added.</summary>
    public ChildCommand Named(string name) => this with { Arguments = [.. Arguments, "--name", name] };

    /// <summary>The command line as parsed, without the pool's options (and their values).</summary>
    public static IReadOnlyList<string> WithoutPoolOptions(ParseResult parse)
    {
        var arguments = new List<string>();
        var skipValue = false;
        foreach (var token in parse.Tokens)
        {
            if (skipValue && token.Type == TokenType.Argument)
            {
                skipValue = false;
                continue;
            }

            skipValue = token.Type == TokenType.Option && PoolOptions.Contains(token.Value);
            if (!skipValue)
            {
                arguments.Add(token.Value);
            }
        }

        return arguments;
    }
}
