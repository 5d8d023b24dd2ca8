using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchyard.Core.Dispatch;
using Switchyard.Core.Engine;

namespace Switchyard.Server.Dialects.OpenAi;

/// <summary>
/// The OpenAI-compatible surface under <c>/v1</c>: chat completions (plain and streamed) run as <c>llm.chat</c> tasks
/// on push workers, one model per worker group. See docs/protocols/openai.md.
/// </summary>
public static class OpenAiApi
{
    public const string JsonType = "application/json";

    /// <summary>Where the surface is served.</summary>
    public const string Prefix = "/v1";

    public static RouteGroupBuilder MapOpenAiApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix).WithTags("OpenAI");
        group.MapPost("/chat/completions", ChatCompletions).WithName("OpenAiChatCompletions");
        group.MapGet("/models", ListModels).WithName("OpenAiListModels");
        group.MapGet("/models/{**model}", GetModel).WithName("OpenAiGetModel");
        return group;
    }

    public static async Task<Results<ContentHttpResult, EmptyHttpResult>> ChatCompletions(
        HttpContext http, TaskBroker broker, IWorkerDirectory workers, ProgressFeed feed, IOptions<OpenAiOptions> options,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var run = new ChatRun(http, broker, feed, options.Value, loggers.CreateLogger(typeof(OpenAiApi)));
        var refused = await run.PrepareAsync(workers.Connected(), cancellationToken);
        if (refused is not null)
        {
            return Json(refused);
        }

        return await run.ExecuteAsync(cancellationToken) is { } answer ? answer : TypedResults.Empty;
    }

    public static ContentHttpResult ListModels(IWorkerDirectory workers, IOptions<OpenAiOptions> options) =>
        TypedResults.Text(JsonWriting.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("object", "list");
            w.WriteStartArray("data");
            foreach (var (id, since) in ServedModels.List(workers.Connected(), options.Value.Queue))
            {
                WriteModel(w, id, since);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }), JsonType);

    /// <summary>
    /// One model. Routing leaves an encoded slash as <c>%2F</c> in the name, and the OpenAI SDKs encode one
    /// (<c>meta/llama-3</c> → <c>/v1/models/meta%2Fllama-3</c>); a group name has no other escapes.
    /// </summary>
    public static ContentHttpResult GetModel(string model, IWorkerDirectory workers, IOptions<OpenAiOptions> options)
    {
        var name = Uri.UnescapeDataString(model);
        return ServedModels.List(workers.Connected(), options.Value.Queue).FirstOrDefault(m => m.Id == name) is { Id: not null } found
            ? TypedResults.Text(JsonWriting.Write(w => WriteModel(w, found.Id, found.Since)), JsonType)
            : Json(OpenAiError.ModelNotFound(name));
    }

    internal static ContentHttpResult Json(OpenAiError error) => TypedResults.Text(error.ToJson(), JsonType, statusCode: error.Status);

    private static void WriteModel(Utf8JsonWriter w, string id, DateTimeOffset since)
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("object", "model");
        w.WriteNumber("created", since.ToUnixTimeSeconds());
        w.WriteString("owned_by", "switchyard");
        w.WriteEndObject();
    }
}
