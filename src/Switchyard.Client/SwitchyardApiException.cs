using System.Net;

namespace Switchyard.Client;

/// <summary>
/// The server refused a request: <see cref="StatusCode"/> is the HTTP status, <see cref="Code"/> the stable problem code
/// (<c>not_found</c>, <c>stale_lease</c>, ...; <c>http_NNN</c> when the answer carried no problem details),
/// <see cref="Detail"/> what was wrong and <see cref="Errors"/> the invalid fields.
/// </summary>
public sealed class SwitchyardApiException : Exception
{
    private static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    public SwitchyardApiException()
        : this(HttpStatusCode.InternalServerError, "internal_error", "The server refused the request.")
    {
    }

    public SwitchyardApiException(string message)
        : this(HttpStatusCode.InternalServerError, "internal_error", message)
    {
    }

    public SwitchyardApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        StatusCode = HttpStatusCode.InternalServerError;
        Code = "internal_error";
        Detail = message;
        Errors = NoErrors;
    }

    public SwitchyardApiException(
        HttpStatusCode statusCode, string code, string detail, IReadOnlyDictionary<string, string[]>? errors = null)
        : base($"{code}: {detail}")
    {
        StatusCode = statusCode;
        Code = code;
        Detail = detail;
        Errors = errors ?? NoErrors;
    }

    public HttpStatusCode StatusCode { get; }

    public string Code { get; }

    public string Detail { get; }

    /// <summary>Invalid fields and what is wrong with each; empty unless the request failed validation.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; }
}
