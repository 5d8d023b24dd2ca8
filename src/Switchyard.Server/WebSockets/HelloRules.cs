using Switchyard.Client.Contracts.Worker;
using Switchyard.Core.Dispatch;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Server.Security;

namespace Switchyard.Server.WebSockets;

/// <summary>What a <c>hello</c> must be for its worker to be registered: the API key first (when it must come in hello), then its fields.</summary>
internal static class HelloRules
{
    /// <summary>The longest <c>version</c> a hello may carry.</summary>
    public const int MaxVersionLength = 200;

    /// <summary>Why <paramref name="hello"/> is refused, or null when it is accepted. <paramref name="keys"/> is null when the upgrade carried a key.</summary>
    public static OperationError? Refusal(HelloMessage hello, ApiKeys? keys, DispatchOptions dispatch, EngineOptions engine)
    {
        if (keys is not null && keys.Find(hello.ApiKey) is null)
        {
            return new OperationError(ErrorCodes.Unauthorized, hello.ApiKey is null
                ? "A valid API key is required: send it in hello (apiKey) or as 'Authorization: Bearer <key>' on the upgrade."
                : "The API key in hello is not one of this server's keys.");
        }

        return Invalid(hello, dispatch, engine) is { } problem ? new OperationError(ErrorCodes.ValidationFailed, problem) : null;
    }

    private static string? Invalid(HelloMessage hello, DispatchOptions dispatch, EngineOptions engine)
    {
        if (hello.Capacity is < 0 || hello.Capacity > dispatch.MaxCapacity)
        {
            return $"capacity must be between 0 and {dispatch.MaxCapacity}";
        }

        if (hello.LeaseMs is { } lease && (lease < engine.MinLeaseMs || lease > engine.MaxLeaseMs))
        {
            return $"leaseMs must be between {engine.MinLeaseMs} and {engine.MaxLeaseMs}";
        }

        if (hello.Version is { Length: > MaxVersionLength })
        {
            return $"version must be at most {MaxVersionLength} characters";
        }

        if (FreeText.HasNul(hello.Name) || FreeText.HasNul(hello.Version))
        {
            return $"{(FreeText.HasNul(hello.Name) ? "name" : "version")} {FreeText.NulRule}";
        }

        if (hello.Abandoned is { } abandoned
            && (abandoned.Count > HelloMessage.MaxAbandoned || abandoned.Any(a => a is null || string.IsNullOrEmpty(a.TaskId) || a.LeaseToken < 1)))
        {
            return $"abandoned must list at most {HelloMessage.MaxAbandoned} tasks, each with a taskId and a leaseToken";
        }

        var names = (hello.Queues ?? []).Concat(hello.Groups ?? []).Concat(hello.Types ?? []);
        return names.FirstOrDefault(n => !Names.IsValid(n)) is { } bad ? $"'{bad}' {Names.Rule}" : null;
    }
}
