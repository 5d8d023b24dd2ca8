using System.Net;
using System.Text.Json;
using Switchyard.Client.Contracts;

namespace Switchyard.Client;

/// <summary>Turns a non-success answer into a <see cref="SwitchyardApiException"/>, reading <c>application/problem+json</c> when present.</summary>
internal static class ProblemReader
{
    private const int MaxBodyChars = 4096;
    private const int MaxDetailChars = 500;

    public static async Task<SwitchyardApiException> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (body.Length > MaxBodyChars)
        {
            body = body[..MaxBodyChars];
        }

        var problem = IsJson(response) ? TryParse(body) : null;
        var code = string.IsNullOrEmpty(problem?.Code) ? $"http_{(int)status}" : problem.Code;
        var detail = problem?.Detail ?? problem?.Title ?? Describe(status, response.ReasonPhrase, body);
        return new SwitchyardApiException(status, code, detail, problem?.Errors?.ToDictionary(StringComparer.Ordinal));
    }

    private static bool IsJson(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType is { } media && media.EndsWith("json", StringComparison.OrdinalIgnoreCase);

    private static ProblemDto? TryParse(string body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, ClientJson.Context.ProblemDto);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Describe(HttpStatusCode status, string? reason, string body)
    {
        var text = body.Trim();
        if (text.Length > MaxDetailChars)
        {
            text = text[..MaxDetailChars] + "...";
        }

        var head = $"HTTP {(int)status} {reason ?? status.ToString()}".TrimEnd();
        return text.Length == 0 ? head : $"{head}: {text}";
    }
}
