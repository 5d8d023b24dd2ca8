using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Core.Policies;
using Switchyard.Core.Types;

namespace Switchyard.Core.Tests;

public sealed class TaskTypeRegistryTests
{
    private const string ChatSchema = """
        {"type": "object", "required": ["messages"], "additionalProperties": false,
         "properties": {
           "model": {"type": "string"},
           "messages": {"type": "array", "minItems": 1, "items": {
             "type": "object", "required": ["role", "content"],
             "properties": {"role": {"enum": ["system", "user", "assistant"]}, "content": {"type": "string"}}}}}}
        """;

    private static readonly TaskTypeDefinition Chat = new()
    {
        Type = "llm.chat",
        PayloadSchema = new JsonText(ChatSchema),
        Defaults = new TaskTypeDefaults
        {
            Queue = "llm",
            Group = "gpt-4o",
            Priority = 5,
            TimeoutMs = 60_000,
            LeaseMs = 20_000,
            MaxAttempts = 5,
            Retry = new RetrySpec(BackoffKind.Fixed, 2_000, 10_000, null, 0.1),
            Review = ReviewMode.Required,
        },
        Concurrency = 4,
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<TaskTypeRegistry> RegistryWith(params TaskTypeDefinition[] definitions)
    {
        var registry = new TaskTypeRegistry();
        Assert.Empty(await registry.ReplaceAsync(definitions, Ct));
        return registry;
    }

    private static SubmitTask ChatTask(string payload) => new() { Type = "llm.chat", Payload = new JsonText(payload) };

    [Fact]
    public async Task Prepare_FieldsLeftUnset_TakeTheTypesDefaults()
    {
        var registry = await RegistryWith(Chat);

        var prepared = registry.Prepare(ChatTask("""{"messages": [{"role": "user", "content": "hi"}]}"""), requireRegistered: false);

        Assert.True(prepared.IsSuccess, prepared.Error?.Message);
        var spec = prepared.Value;
        Assert.Equal(("llm", "gpt-4o", 5, 60_000L, 20_000L, 5, ReviewMode.Required),
            (spec.Queue, spec.Group, spec.Priority, spec.TimeoutMs, spec.LeaseMs, spec.MaxAttempts, spec.Review));
        Assert.Equal(new RetrySpec(BackoffKind.Fixed, 2_000, 10_000, null, 0.1), spec.Retry);
    }

    [Fact]
    public async Task Prepare_FieldsTheSubmitSet_KeepTheirValues()
    {
        var registry = await RegistryWith(Chat);
        var asked = ChatTask("""{"messages": [{"role": "user", "content": "hi"}]}""") with
        {
            Queue = "urgent",
            Priority = 0,
            MaxAttempts = 1,
            Review = ReviewMode.None,
            Retry = new RetrySpec(null, 500, null, 3, null),
        };

        var spec = registry.Prepare(asked, requireRegistered: false).Value!;

        Assert.Equal(("urgent", "gpt-4o", 0, 1, ReviewMode.None), (spec.Queue, spec.Group, spec.Priority, spec.MaxAttempts, spec.Review));
        Assert.Equal(new RetrySpec(BackoffKind.Fixed, 500, 10_000, 3, 0.1), spec.Retry); // merged field by field
    }

    [Fact]
    public async Task Prepare_PayloadAgainstSchema_NamesTheOffendingField()
    {
        var registry = await RegistryWith(Chat);

        var refused = registry.Prepare(ChatTask("""{"messages": [{"role": "robot", "content": "hi"}]}"""), requireRegistered: false);

        Assert.False(refused.IsSuccess);
        Assert.Equal(ErrorCodes.ValidationFailed, refused.Error.Code);
        var (field, messages) = Assert.Single(refused.Error.Errors!);
        Assert.Equal("payload.messages[0].role", field);
        Assert.Contains("\"user\"", Assert.Single(messages), StringComparison.Ordinal);
        Assert.StartsWith("payload.messages[0].role: must be one of", refused.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prepare_InBatch_FieldPrefixedWithTheTasksPlace()
    {
        var registry = await RegistryWith(Chat);

        var refused = registry.Prepare(ChatTask("""{"messages": [{"content": 3}], "extra": true}"""), requireRegistered: false, "tasks[3].");

        Assert.Equal(
            ["tasks[3].payload.extra", "tasks[3].payload.messages[0].content", "tasks[3].payload.messages[0].role"],
            refused.Error!.Errors!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["is required"], refused.Error.Errors["tasks[3].payload.messages[0].role"]);
        Assert.Equal(["must be a string"], refused.Error.Errors["tasks[3].payload.messages[0].content"]);
        Assert.Equal(["is not an allowed property"], refused.Error.Errors["tasks[3].payload.extra"]);
        Assert.EndsWith("(and 2 more)", refused.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prepare_NoPayloadWhereSchemaWantsAnObject_PayloadItselfNamed()
    {
        var registry = await RegistryWith(Chat);

        var refused = registry.Prepare(new SubmitTask { Type = "llm.chat" }, requireRegistered: false);

        Assert.Contains("payload", refused.Error!.Errors!.Keys);
        Assert.Equal(["must be an object"], refused.Error.Errors["payload"]);
    }

    [Fact]
    public async Task Prepare_UnregisteredType_PassesUnlessRegistrationRequired()
    {
        var registry = await RegistryWith(Chat);
        var spec = new SubmitTask { Type = "shell.exec", Queue = "q" };

        Assert.Equal(spec, registry.Prepare(spec, requireRegistered: false).Value);
        var refused = registry.Prepare(spec, requireRegistered: true, "tasks[1].");
        Assert.Equal(ErrorCodes.ValidationFailed, refused.Error!.Code);
        Assert.Equal("tasks[1].type", Assert.Single(refused.Error.Errors!).Key);
    }

    [Fact]
    public async Task Prepare_TypeWithoutSchema_AnyPayloadPasses()
    {
        var registry = await RegistryWith(new TaskTypeDefinition { Type = "free", Defaults = new TaskTypeDefaults { Priority = 2 } });

        Assert.Equal(2, registry.Prepare(new SubmitTask { Type = "free", Payload = new JsonText("[1, 2]") }, false).Value!.Priority);
    }

    [Fact]
    public async Task Replace_DefinitionsChange_RemovedTypeNoLongerKnown()
    {
        var registry = await RegistryWith(Chat, new TaskTypeDefinition { Type = "other" });

        await registry.ReplaceAsync([new TaskTypeDefinition { Type = "other" }], Ct);

        Assert.Null(registry.Find("llm.chat"));
        Assert.Equal(["other"], registry.All.Select(d => d.Type));
        Assert.True(registry.Prepare(ChatTask("42"), requireRegistered: false).IsSuccess);
    }
}
