using Switchyard.Core.Model;

namespace Switchyard.Client.Contracts;

/// <summary>A task's error: <c>kind</c> is retryable, fatal or user_actionable.</summary>
public sealed record TaskErrorDto(string? Code, string Message, string? Kind = null, JsonText? Details = null);
