using System.Text.Json.Nodes;
using Switchyard.Core.Model;

namespace Switchyard.Worker;

/// <summary>A handler made of a delegate (<c>worker.Handle("type", async (ctx, ct) => ...)</c>).</summary>
internal sealed class DelegateHandler(Func<TaskContext, CancellationToken, Task<JsonText>> run) : ITaskHandler
{
    public Task<JsonText> HandleAsync(TaskContext context, CancellationToken cancellationToken) => run(context, cancellationToken);

    public static DelegateHandler FromNode(Func<TaskContext, CancellationToken, Task<JsonNode?>> run) =>
        new(async (context, cancellationToken) => await run(context, cancellationToken) is { } node
            ? new JsonText(node.ToJsonString())
            : JsonText.Null);

    public static DelegateHandler FromAction(Func<TaskContext, CancellationToken, Task> run) =>
        new(async (context, cancellationToken) =>
        {
            await run(context, cancellationToken);
            return JsonText.Null;
        });
}
