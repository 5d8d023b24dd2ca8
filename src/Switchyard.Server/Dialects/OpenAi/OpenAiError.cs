using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Switchyard.Core.Model;
using Switchyard.Server.Hosting;

namespace Switchyard.Server.Dialects.OpenAi;

/// <summary>An error in OpenAI's shape, <c>{"error": {"message", "type", "param", "code"}}</c>, with its HTTP status.</summary>
internal sealed record OpenAiError(int Status, string Type, string Message, string? Param = null, string? Code = null)
{
    public const string InvalidRequestType = "invalid_request_error";
    public const string ServerErrorType = "server_error";

    public static OpenAiError InvalidRequest(string message, string? param = null, string? code = null) =>
        new(StatusCodes.Status400BadRequest, InvalidRequestType, message, param, code);

    public static OpenAiError InvalidJson { get; } = InvalidRequest(
        "We could not parse the JSON body of your request: it must be a JSON object (see docs/protocols/openai.md).", code: ErrorCodes.InvalidJson);

    public static OpenAiError TooLarge(long? maxBytes) => new(StatusCodes.Status413PayloadTooLarge, InvalidRequestType,
        ServerOptions.TooLargeDetail(maxBytes), null, ErrorCodes.PayloadTooLarge);

    /// <summary>No key came with the request; OpenAI answers it with no code.</summary>
    public static OpenAiError MissingApiKey { get; } = new(StatusCodes.Status401Unauthorized, InvalidRequestType,
        "You did not provide an API key: send it as 'Authorization: Bearer <key>' (the Switchyard API key).");

    /// <summary>The key that came matches none of the server's; the key is not echoed.</summary>
    public static OpenAiError InvalidApiKey { get; } = new(StatusCodes.Status401Unauthorized, InvalidRequestType,
        "Incorrect API key provided: it is not one of this server's API keys.", null, "invalid_api_key");

    public static OpenAiError ModelNotFound(string model) => new(StatusCodes.Status404NotFound, InvalidRequestType,
        $"The model '{model}' does not exist or no connected worker serves it; GET /v1/models lists the models served now.",
        "model", "model_not_found");

    public static OpenAiError InvalidModel(string model) => new(StatusCodes.Status404NotFound, InvalidRequestType,
        $"The model '{model}' does not exist: a model is the group of the workers that serve it, and a group {Core.Engine.Names.Rule}.",
        "model", "model_not_found");

    public static OpenAiError NoWorker(string model) => new(StatusCodes.Status503ServiceUnavailable, ServerErrorType,
        $"No worker serving the model '{model}' is connected; GET /v1/models lists the models served now.", "model", "model_not_available");

    public static OpenAiError Timeout { get; } = new(StatusCodes.Status504GatewayTimeout, ServerErrorType, TaskError.Timeout.Message, null, TaskError.Timeout.Code);

    public static OpenAiError ShuttingDown { get; } = new(StatusCodes.Status503ServiceUnavailable, ServerErrorType,
        "The server is shutting down before a worker took the request; send it again (to another node, or once this one is back).",
        null, ErrorCodes.ShuttingDown);

    public static OpenAiError InvalidResult { get; } = new(StatusCodes.Status502BadGateway, ServerErrorType,
        "The worker returned a result that is neither a chat.completion nor {\"content\": ...}.", null, "invalid_worker_result");

    /// <summary>The engine refused the task (validation, queue full, storage).</summary>
    public static OpenAiError From(OperationError error) => error.Code switch
    {
        ErrorCodes.ValidationFailed or ErrorCodes.InvalidJson => InvalidRequest(error.Message, error.Errors?.Keys.FirstOrDefault(), error.Code),
        ErrorCodes.QueueFull => new(StatusCodes.Status429TooManyRequests, "rate_limit_error", error.Message, null, error.Code),
        ErrorCodes.Unavailable => new(StatusCodes.Status503ServiceUnavailable, ServerErrorType, error.Message, null, error.Code),
        _ => new(StatusCodes.Status500InternalServerError, ServerErrorType, error.Message, null, error.Code),
    };

    /// <summary>Why a settled task has no answer: timeout (504), worker failure (500, with the worker's message), cancellation.</summary>
    public static OpenAiError From(TaskRecord? task) => task switch
    {
        null => new(StatusCodes.Status500InternalServerError, ServerErrorType, "The task is gone (its result expired).", null, ErrorCodes.NotFound),
        { State: TaskState.Failed, Error.Code: "timeout" } => Timeout,
        { State: TaskState.Failed, Error: { } error } => new(StatusCodes.Status500InternalServerError, ServerErrorType, error.Message, null, error.Code),
        { State: TaskState.Cancelled } => new(StatusCodes.Status500InternalServerError, ServerErrorType,
            "The task was cancelled before it finished.", null, ErrorCodes.TaskCancelled),
        { State: TaskState.Completed or TaskState.Review } => InvalidResult,
        _ => Timeout,
    };

    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("message", Message);
        writer.WriteString("type", Type);
        writer.WriteString("param", Param);
        writer.WriteString("code", Code);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    public string ToJson() => JsonWriting.Write(WriteTo);
}
