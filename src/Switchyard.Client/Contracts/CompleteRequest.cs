using Switchyard.Core.Model;

namespace Switchyard.Client.Contracts;

/// <summary>Body of <c>POST /api/v1/tasks/{id}/complete</c>.</summary>
public sealed record CompleteRequest(long? LeaseToken, JsonText? Result = null);
