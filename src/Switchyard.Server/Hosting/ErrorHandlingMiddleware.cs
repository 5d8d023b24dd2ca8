using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchyard.Core.Model;
using Switchyard.Server.Endpoints;

namespace Switchyard.Server.Hosting;

/// <summary>
/// Turns what escapes an endpoint into problem details: unreadable or mistyped bodies (400 invalid_json,
/// naming the JSON path), oversized bodies (413), anything else (500, without internals). A request the
/// client abandoned is not an error.
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
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            await Problems.Write(context, Describe(ex));
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            LogUnhandled(logger, context.Request.Method, context.Request.Path, ex);
            await Problems.Write(context, new OperationError(ErrorCodes.Internal,
                "The server failed to handle the request; see its log for details."));
        }
    }

    private static OperationError Describe(BadHttpRequestException ex)
    {
        if (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge;
        }

        for (Exception? inner = ex; inner is not null; inner = inner.InnerException)
        {
            if (inner is JsonException json)
            {
                var message = json.Message;
                var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
                message = cut > 0 ? message[..cut] : message;
                if (message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
                {
                    message = "the value has the wrong JSON type or format for this field.";
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

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, string method, string path, Exception exception);
}
