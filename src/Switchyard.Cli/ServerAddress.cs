namespace Switchyard.Cli;

/// <summary>Reads the <c>--server</c> value: an http(s) address, or a bare <c>host:port</c> taken as http.</summary>
internal static class ServerAddress
{
    public static Uri Resolve(string? text)
    {
        var value = string.IsNullOrWhiteSpace(text) ? GlobalOptions.DefaultServer : text.Trim();
        if (!value.Contains("://", StringComparison.Ordinal))
        {
            value = "http://" + value;
        }

        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        throw new CliUsageException($"'{text}' is not a server address; use e.g. http://127.0.0.1:7400 (--server or {GlobalOptions.ServerVariable}).");
    }
}
