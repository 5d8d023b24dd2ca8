using System.CommandLine;
using Switchyard.Client;

namespace Switchyard.Cli;

/// <summary>One command's run: its parse result, output writers, environment and (made on first use) its client.</summary>
internal sealed class CliContext(ParseResult parse, CommandSetup setup) : IDisposable
{
    private SwitchyardClient? _client;

    public ParseResult Parse { get; } = parse;

    public CliEnvironment Environment => setup.Environment;

    public TextWriter Out => Parse.InvocationConfiguration.Output;

    public TextWriter Error => Parse.InvocationConfiguration.Error;

    public bool Json => Parse.GetValue(setup.Globals.Json);

    public Uri Server => ServerAddress.Resolve(Parse.GetValue(setup.Globals.Server) ?? Environment.GetVariable(GlobalOptions.ServerVariable));

    /// <summary>The client; a waiting command that cannot reach the server says so on stderr once per outage while it tries again.</summary>
    public SwitchyardClient Client => _client ??= new SwitchyardClient(Server, ApiKey) { Reconnecting = m => Error.WriteLine($"switchyard: {m}") };

    private string? ApiKey => Parse.GetValue(setup.Globals.ApiKey) is { Length: > 0 } key ? key : Environment.GetVariable(GlobalOptions.ApiKeyVariable);

    public T? Get<T>(Option<T> option) => Parse.GetValue(option);

    public T? Get<T>(Argument<T> argument) => Parse.GetValue(argument);

    public void Dispose() => _client?.Dispose();
}
