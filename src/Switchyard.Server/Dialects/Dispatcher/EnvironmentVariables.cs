namespace Switchyard.Server.Dialects.Dispatcher;

/// <summary>
/// Where the dialect reads the origin's unprefixed environment variables from: the process environment, or
/// given values (tests, embedding hosts) so nothing has to touch the process environment.
/// </summary>
public sealed class EnvironmentVariables(Func<string, string?> read)
{
    public static EnvironmentVariables Process { get; } = new(Environment.GetEnvironmentVariable);

    public string? this[string name] => read(name);

    public static EnvironmentVariables From(IReadOnlyDictionary<string, string?> values) => new(values.GetValueOrDefault);
}
