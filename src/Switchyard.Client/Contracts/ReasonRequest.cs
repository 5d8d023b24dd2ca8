namespace Switchyard.Client.Contracts;

/// <summary>Optional body of cancel and retry.</summary>
public sealed record ReasonRequest(string? Reason = null);
