using System.Text.Json;
using Switchyard.Core.Model;

namespace Switchyard.Cli;

/// <summary>Reads a JSON value (a payload or result) from an argument, a file, or standard input when the argument is <c>-</c>.</summary>
internal static class JsonInput
{
    public const string StdinMarker = "-";

    /// <summary>
    /// The JSON named by <paramref name="argument"/> or <paramref name="file"/>; with neither, standard input when
    /// <paramref name="stdinWhenRedirected"/> and it is redirected (empty input means none), else none.
    /// </summary>
    public static async Task<JsonText?> ReadAsync(
        string what, string? argument, string? file, bool stdinWhenRedirected, CliEnvironment environment, CancellationToken cancellationToken)
    {
        if (argument is not null && file is not null)
        {
            throw new CliUsageException($"give the {what} as an argument or with --file, not both");
        }

        if (argument == StdinMarker)
        {
            var text = await environment.Input.ReadToEndAsync(cancellationToken);
            return string.IsNullOrWhiteSpace(text) ? throw new CliUsageException($"no {what} JSON on standard input") : Parse(what, text);
        }

        if (file is not null)
        {
            try
            {
                return Parse(what, await File.ReadAllTextAsync(file, cancellationToken));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CliUsageException($"cannot read {what} file '{file}': {ex.Message}", ex);
            }
        }

        if (argument is not null)
        {
            return Parse(what, argument);
        }

        if (stdinWhenRedirected && environment.IsInputRedirected)
        {
            var text = await environment.Input.ReadToEndAsync(cancellationToken);
            return string.IsNullOrWhiteSpace(text) ? null : Parse(what, text);
        }

        return null;
    }

    private static JsonText Parse(string what, string text)
    {
        try
        {
            return JsonText.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new CliUsageException($"the {what} is not valid JSON: {Client.Contracts.ContractJsonErrors.Syntax(ex)}", ex);
        }
    }
}
