namespace Switchyard.Core.Model;

/// <summary>What a running task last reported about itself.</summary>
public sealed record TaskProgress(double? Percent, string? Message, JsonText? Data);
