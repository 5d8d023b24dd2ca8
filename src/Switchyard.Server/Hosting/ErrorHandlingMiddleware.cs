using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchyard.Client.Contracts;
using Switchyard.Core.Model;
using Switchyard.Server.Dialects.OpenAi;
using Switchyard.Server.Endpoints;

namespace Switchyard.Server.Hosting;

/// <summary>
/// Turns what escapes an endpoint into problem details: unreadable, missing or mistyped bodies (400 invalid_json,
/// naming the JSON path), oversized bodies (413), anything else (500, without internals). A request the
/// client abandoned is not an error. The framework's bare answers (no route 404, wrong method 405, a body that is
/// not JSON 415) get a body too: problem details under <c>/api/v1</c>, OpenAI's error shape under <c>/v1</c>.
/// </summary>
internal sealed partial class ErrorHandlingMiddleware(
    RequestDelegate next, IOptions<ServerOptions> options, ILogger<ErrorHandlingMiddleware> logger)
{
    private static readonly OperationError TooLarge = new(ErrorCodes.PayloadTooLarge,
        "The request body is larger than the server accepts (Server:MaxRequestBytes).");

    private readonly long _maxRequestBytes = options.Value.MaxRequestBytes;

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > _maxRequestBytes)
        {
            await Problems.Write(context, TooLarge);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = _maxRequestBytes;
        }

        try
        {
            await next(context);
            if (!context.Response.HasStarted && context.Response.ContentType is null)
            {
                await AnswerBareAsync(context);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            await Problems.Write(context, Describe(ex, context.Request));
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            LogUnhandled(logger, context.Request.Method, context.Request.Path, ex);
            await Problems.Write(context, new OperationError(ErrorCodes.Internal,
                "The server failed to handle the request; see its log for details."));
        }
    }

    private static Task AnswerBareAsync(HttpContext context)
    {
        var request = context.Request;
        var status = context.Response.StatusCode;
        if (request.Path.StartsWithSegments("/api/v1"))
        {
            OperationError? error = status switch
            {
                StatusCodes.Status404NotFound => new(ErrorCodes.NotFound,
                    $"No endpoint answers {request.Method} {request.Path}; the API is described at /openapi/v1.json."),
                StatusCodes.Status405MethodNotAllowed => new(ErrorCodes.MethodNotAllowed,
                    $"{request.Method} is not allowed on {request.Path}; it takes {context.Response.Headers.Allow}."),
                StatusCodes.Status415UnsupportedMediaType => new(ErrorCodes.UnsupportedMediaType,
                    $"Send the body as JSON with 'Content-Type: application/json' (this request's was {request.ContentType ?? "missing"})."),
                _ => null,
            };
            return error is null ? Task.CompletedTask : Problems.Write(context, error);
        }

        if (request.Path.StartsWithSegments("/v1") && status is StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed)
        {
            // OpenAI answers an unknown route or method so, with no code.
            var error = new OpenAiError(status, OpenAiError.InvalidRequestType, $"Invalid URL ({request.Method} {request.Path})");
            context.Response.ContentType = OpenAiApi.JsonType;
            return context.Response.WriteAsync(error.ToJson(), context.RequestAborted);
        }

        return Task.CompletedTask;
    }

    private static OperationError Describe(BadHttpRequestException ex, HttpRequest request)
    {
        if (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge;
        }

        if (request.ContentLength == 0 || request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false })
        {
            return new OperationError(ErrorCodes.InvalidJson, "$: the request has no body; this operation takes a JSON object.");
        }

        for (Exception? inner = ex; inner is not null; inner = inner.InnerException)
        {
            if (inner is JsonException json)
            {
                var message = json.Message;
                var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
                message = cut > 0 ? message[..cut] : message;
                const string NotConverted = "The JSON value could not be converted to ";
                if (message.StartsWith(NotConverted, StringComparison.Ordinal))
                {
                    var target = message[NotConverted.Length..].TrimEnd('.');
                    message = "the value has the wrong JSON type or format for this field"
                              + Expected(FieldType(target, json.Path) ?? target) + ".";
                }
                var path = json.Path is { Length: > 0 } p ? p : "$";
                return new OperationError(ErrorCodes.InvalidJson, $"{path}: {message}");
            }

            if (inner is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
            {
                return TooLarge;
            }
        }

        return new OperationError(ErrorCodes.InvalidJson, ex.Message);
    }

    /// <summary>
    /// The .NET type of the field at <paramref name="path"/> when the reader names the object that holds it instead
    /// (it does so for a field of a simple type): looked up in the API's contracts by the field's JSON name.
    /// </summary>
    private static string? FieldType(string holder, string? path)
    {
        var field = path is null ? null : path[(path.LastIndexOf('.') + 1)..];
        if (string.IsNullOrEmpty(field) || field.Contains('[', StringComparison.Ordinal)
            || typeof(ContractsJsonContext).Assembly.GetType(holder) is not { } type
            || ContractsJsonContext.Default.GetTypeInfo(type) is not { } info)
        {
            return null;
        }

        return info.Properties.FirstOrDefault(p => p.Name == field)?.PropertyType.ToString();
    }

    /// <summary>What a field of this .NET type takes, in JSON terms (empty for types without a plain answer).</summary>
    private static string Expected(string type)
    {
        // A nullable field is named as System.Nullable`1[System.Int32] or with the inner type assembly-qualified.
        var name = type.StartsWith("System.Nullable`1[", StringComparison.Ordinal)
            ? type["System.Nullable`1[".Length..].TrimStart('[').Split(',', ']')[0]
            : type;
        return name switch
        {
            "System.DateTimeOffset" or "System.DateTime" => ": an RFC 3339 date-time such as 2026-01-02T03:04:05Z",
            "System.Int32" or "System.Int64" => ": a whole number",
            "System.Double" or "System.Decimal" => ": a number",
            "System.Boolean" => ": true or false",
            "System.String" => ": a string",
            _ when name.StartsWith("System.Collections.Generic.", StringComparison.Ordinal) || name.EndsWith("[]", StringComparison.Ordinal)
                => name.Contains("Dictionary", StringComparison.Ordinal) ? ": a JSON object" : ": a JSON array",
            _ => string.Empty,
        };
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, string method, string path, Exception exception);
}
