using Switchyard.Core.Model;
using Switchyard.Core.Types;

namespace Switchyard.Core.Tests;

public sealed class PayloadSchemaTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<PayloadSchema> Compile(string schema)
    {
        var compiled = await PayloadSchema.CompileAsync(new JsonText(schema), "payloadSchema", Ct);
        Assert.True(compiled.IsSuccess, compiled.Error?.Message);
        return compiled.Value;
    }

    [Theory]
    [InlineData("""{"$ref": "https://example.com/schema.json"}""")]
    [InlineData("""{"properties": {"a": {"$ref": "other.json#/a"}}}""")]
    [InlineData("[1, 2]")]
    [InlineData("\"string\"")]
    [InlineData("""{"type": "object", """)]
    public async Task Compile_UnusableSchema_RefusedNamingTheField(string schema)
    {
        var compiled = await PayloadSchema.CompileAsync(new JsonText(schema), "types[2].payloadSchema", Ct);

        Assert.False(compiled.IsSuccess);
        Assert.Equal(ErrorCodes.ValidationFailed, compiled.Error.Code);
        Assert.Equal("types[2].payloadSchema", Assert.Single(compiled.Error.Errors!).Key);
    }

    [Theory]
    [InlineData("""{"type": "objekt"}""", "type: 'objekt' is not a JSON Schema type (array, boolean, integer, null, number, object, string)")]
    [InlineData("""{"properties": {"n": {"type": ["integer", "nul"]}}}""",
        "properties.n.type: 'nul' is not a JSON Schema type (array, boolean, integer, null, number, object, string)")]
    [InlineData("""{"type": "object", "required": "name"}""", "required: must be a list of property names")]
    [InlineData("""{"properties": {"a": 5}}""", "properties.a: must be a schema (an object), not a number")]
    [InlineData("""{"items": {"anyOf": []}}""", "items.anyOf: must list at least one schema")]
    [InlineData("""{"definitions": {"d": {"items": [{"type": 1}]}}}""",
        "definitions.d.items[0].type: must be a type name or a list of them (array, boolean, integer, null, number, object, string)")]
    public async Task Compile_MisspeltKeywordValue_RefusedSayingWhere(string schema, string mistake)
    {
        var compiled = await PayloadSchema.CompileAsync(new JsonText(schema), "payloadSchema", Ct);

        Assert.False(compiled.IsSuccess);
        Assert.Equal([$"is not a usable JSON Schema: {mistake}"], compiled.Error.Errors!["payloadSchema"]);
    }

    [Fact]
    public async Task Compile_WellFormedKeywords_Accepted()
    {
        var schema = await Compile("""
            {"type": ["object", "null"], "required": ["a"], "additionalProperties": false,
             "properties": {"a": {}, "b": {"type": "array", "items": [{"type": "integer"}, {"type": "number"}]},
                            "c": {"oneOf": [{"type": "string"}, {"type": "boolean"}]}}}
            """);

        Assert.Null(schema.Check(new JsonText("""{"a": 1, "b": [1, 2.5], "c": true}"""), "payload"));
        Assert.NotNull(schema.Check(new JsonText("""{"a": 1, "d": 1}"""), "payload"));
    }

    [Fact]
    public async Task Check_LocalReference_Resolved()
    {
        var schema = await Compile("""{"definitions": {"n": {"type": "integer", "minimum": 1}}, "properties": {"count": {"$ref": "#/definitions/n"}}}""");

        Assert.Null(schema.Check(new JsonText("""{"count": 3}"""), "payload"));
        Assert.Equal(["must be at least 1"], schema.Check(new JsonText("""{"count": 0}"""), "payload")!.Errors!["payload.count"]);
    }

    [Theory]
    [InlineData("""{"type": "array", "items": {"type": "integer", "maximum": 3}}""", "[1, 5]", "payload[1]", "must be at most 3")]
    [InlineData("""{"properties": {"name": {"type": "string", "minLength": 2}}}""", """{"name": "x"}""", "payload.name", "must be at least 2 characters")]
    [InlineData("""{"properties": {"tags": {"type": "array", "maxItems": 1}}}""", """{"tags": [1, 2]}""", "payload.tags", "must have at most 1 items")]
    [InlineData("""{"properties": {"v": {"type": ["string", "null"]}}}""", """{"v": 1}""", "payload.v", "must be null or string")]
    [InlineData("""{"properties": {"id": {"type": "string", "pattern": "^t-"}}}""", """{"id": "x"}""", "payload.id", "must match the pattern ^t-")]
    [InlineData("""{"properties": {"a": {"anyOf": [{"type": "string"}, {"type": "integer"}]}}}""", """{"a": true}""", "payload.a",
        "matches none of the allowed schemas (anyOf)")]
    [InlineData("""{"properties": {"at": {"type": "string", "format": "date-time"}}}""", """{"at": "soon"}""", "payload.at", "must be a valid date time")]
    public async Task Check_Violation_FieldPathAndPlainMessage(string schema, string payload, string field, string message)
    {
        var refused = (await Compile(schema)).Check(new JsonText(payload), "payload");

        Assert.NotNull(refused);
        Assert.Equal([message], refused.Errors![field]);
    }

    [Fact]
    public async Task Check_ManyViolations_ListCapped()
    {
        var schema = await Compile("""{"type": "array", "items": {"type": "string"}}""");

        var refused = schema.Check(new JsonText("[" + string.Join(",", Enumerable.Range(0, 50)) + "]"), "payload")!;

        Assert.Equal(PayloadSchema.MaxErrors, refused.Errors!.Count);
        Assert.EndsWith("(and 49 more)", refused.Message, StringComparison.Ordinal);
    }
}
