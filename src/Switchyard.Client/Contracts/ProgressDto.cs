using Switchyard.Core.Model;

namespace Switchyard.Client.Contracts;

/// <summary>What a running task reports about itself.</summary>
public sealed record ProgressDto(double? Percent = null, string? Message = null, JsonText? Data = null);
