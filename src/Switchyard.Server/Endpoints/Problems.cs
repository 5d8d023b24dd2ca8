using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Switchyard.Client.Contracts;
using Switchyard.Core.Model;

namespace Switchyard.Server.Endpoints;

/// <summary>Turns an <see cref="OperationError"/> into <c>application/problem+json</c> with its stable code and HTTP status.</summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    public static int StatusOf(string code) => code switch
    {
        ErrorCodes.ValidationFailed or ErrorCodes.InvalidJson or ErrorCodes.UnknownFilter => StatusCodes.Status400BadRequest,
        ErrorCodes.DependencyNotFound or ErrorCodes.DependencyCycle => StatusCodes.Status422UnprocessableEntity,
        ErrorCodes.Forbidden => StatusCodes.Status403Forbidden,
        ErrorCodes.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorCodes.NotFound => StatusCodes.Status404NotFound,
        ErrorCodes.DuplicateId or ErrorCodes.StaleLease or ErrorCodes.LeaseExpired or ErrorCodes.TaskCancelled
            or ErrorCodes.IllegalTransition or ErrorCodes.ReviewClaimed => StatusCodes.Status409Conflict,
        ErrorCodes.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorCodes.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        ErrorCodes.MethodNotAllowed => StatusCodes.Status405MethodNotAllowed,
        ErrorCodes.QueueFull => StatusCodes.Status429TooManyRequests,
        ErrorCodes.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static ProblemDto ToDto(OperationError error, HttpContext? context = null) => new()
    {
        Type = "https://switchyard.dev/problems/" + error.Code.Replace('_', '-'),
        Title = Title(error.Code),
        Status = StatusOf(error.Code),
        Detail = error.Message,
        Code = error.Code,
        Errors = error.Errors,
    };

    public static JsonHttpResult<ProblemDto> Result(OperationError error) =>
        TypedResults.Json(ToDto(error), ContractsJsonContext.Wire.ProblemDto, ContentType, StatusOf(error.Code));

    public static Task Write(HttpContext context, OperationError error)
    {
        context.Response.StatusCode = StatusOf(error.Code);
        context.Response.ContentType = ContentType;
        return JsonSerializer.SerializeAsync(context.Response.Body, ToDto(error, context), ContractsJsonContext.Wire.ProblemDto, context.RequestAborted);
    }

    private static string Title(string code) => code switch
    {
        ErrorCodes.ValidationFailed => "The request is not valid",
        ErrorCodes.InvalidJson => "The request body is not valid JSON for this operation",
        ErrorCodes.UnknownFilter => "Unknown query parameter",
        ErrorCodes.Unauthorized => "Authentication required",
        ErrorCodes.NotFound => "Not found or expired",
        ErrorCodes.DuplicateId => "Duplicate task id",
        ErrorCodes.StaleLease => "Stale lease token",
        ErrorCodes.LeaseExpired => "Lease expired",
        ErrorCodes.TaskCancelled => "Task cancelled",
        ErrorCodes.IllegalTransition => "Illegal state transition",
        ErrorCodes.PayloadTooLarge => "Request body too large",
        ErrorCodes.UnsupportedMediaType => "The request body must be JSON",
        ErrorCodes.MethodNotAllowed => "Method not allowed",
        ErrorCodes.QueueFull => "Queue full",
        ErrorCodes.DependencyNotFound => "Dependency not found",
        ErrorCodes.DependencyCycle => "Dependency cycle",
        ErrorCodes.ReviewClaimed => "Claimed by another reviewer",
        ErrorCodes.Forbidden => "Not allowed for this key",
        ErrorCodes.Unavailable => "Service unavailable",
        _ => "Internal error",
    };
}
