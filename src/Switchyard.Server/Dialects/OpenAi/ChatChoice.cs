using System.Text.Json;

namespace Switchyard.Server.Dialects.OpenAi;

/// <summary>One answer of a worker's result: its text, tool calls (a JSON array) and why it ended.</summary>
internal sealed record ChatChoice(int Index, string? Content, JsonElement? ToolCalls, string FinishReason);
