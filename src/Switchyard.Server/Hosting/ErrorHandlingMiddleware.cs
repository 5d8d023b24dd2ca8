using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchyard.Client.Contracts;
using Switchyard.Core.Model;
using Switchyard.Server.Dialects.Dispatcher;
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
    private readonly long _maxRequestBytes = options.Value.MaxRequestBytes;
    private static readonly OperationError StoreUnreachable = new(ErrorCodes.Unavailable,
        "The store cannot be reached now (the reason is in the server's log); try again shortly.");

    private readonly OperationError _tooLarge = new(ErrorCodes.PayloadTooLarge, ServerOptions.TooLargeDetail(options.Value.MaxRequestBytes));

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > _maxRequestBytes)
        {
            await (context.Request.Path.StartsWithSegments(OpenAiApi.Prefix)
                ? WriteOpenAiAsync(context, OpenAiError.TooLarge(_maxRequestBytes))
                : Problems.Write(context, _tooLarge));
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
        catch (Exception ex) when (!context.Response.HasStarted && StoreAway(ex) is { } away)
        {
            // The database cannot be reached (restarting, network): not a fault of this server, and worth another try.
            LogStoreAway(logger, context.Request.Method, context.Request.Path, away.Message);
            context.Response.Headers.RetryAfter = "5";
            await (context.Request.Path.StartsWithSegments(OpenAiApi.Prefix)
                ? WriteOpenAiAsync(context, OpenAiError.From(StoreUnreachable))
                : DispatcherDialect.Serves(context.Request.Path)
                    ? DispatcherDialect.Json(StatusCodes.Status503ServiceUnavailable, DispatcherJson.Error(StoreUnreachable.Message)).ExecuteAsync(context)
                    : Problems.Write(context, StoreUnreachable));
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

        if (status is not (StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed))
        {
            return Task.CompletedTask;
        }

        if (request.Path.StartsWithSegments(OpenAiApi.Prefix))
        {
            // OpenAI answers an unknown route or method so, with no code.
            return WriteOpenAiAsync(context, new OpenAiError(status, OpenAiError.InvalidRequestType, $"Invalid URL ({request.Method} {request.Path})"));
        }

        if (DispatcherDialect.Serves(request.Path))
        {
            // The dialect's every refusal is {"error": "..."}.
            var message = status == StatusCodes.Status404NotFound
                ? $"Not found: {request.Method} {request.Path}"
                : $"Method {request.Method} not allowed on {request.Path}; it takes {context.Response.Headers.Allow}";
            return DispatcherDialect.Json(status, DispatcherJson.Error(message)).ExecuteAsync(context);
        }

        return Task.CompletedTask;
    }

    private static Task WriteOpenAiAsync(HttpContext context, OpenAiError error)
    {
        context.Response.StatusCode = error.Status;
        context.Response.ContentType = OpenAiApi.JsonType;
        return context.Response.WriteAsync(error.ToJson(), context.RequestAborted);
    }

    private OperationError Describe(BadHttpRequestException ex, HttpRequest request)
    {
        if (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return _tooLarge;
        }

        if (request.ContentLength == 0 || request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false })
        {
            return new OperationError(ErrorCodes.InvalidJson, "$: the request has no body; this operation takes a JSON object.");
        }

        for (Exception? inner = ex; inner is not null; inner = inner.InnerException)
        {
            if (inner is JsonException json)
            {
                return new OperationError(ErrorCodes.InvalidJson, ContractJsonErrors.Describe(json));
            }

            if (inner is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
            {
                return _tooLarge;
            }
        }

        return new OperationError(ErrorCodes.InvalidJson, ex.Message);
    }

    /// <summary>The transient database failure in <paramref name="ex"/>'s chain (the store is away), or null.</summary>
    private static System.Data.Common.DbException? StoreAway(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is System.Data.Common.DbException { IsTransient: true } away)
            {
                return away;
            }
        }

        return null;
    }

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: the store cannot be reached ({Reason})")]
    private static partial void LogStoreAway(ILogger logger, string method, string path, string reason);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, string method, string path, Exception exception);
}
