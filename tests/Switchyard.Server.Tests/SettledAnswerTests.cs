using System.Net.Http.Json;
using Switchyard.Client.Contracts;

namespace Switchyard.Server.Tests;

/// <summary>
/// An answer names the state a task is in when the call returns, also when the store moved it on at once in the same
/// transaction (a retried task its dependencies fail, a batch task whose dependency of the same batch was cancelled).
/// </summary>
public sealed class SettledAnswerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Retry_DependentOfFailedTask_AnswersFailed()
    {
        await using var server = await TestServer.StartAsync();
        await server.SubmitAsync(new { id = "dep", type = "t", maxAttempts = 1 });
        await server.SubmitAsync(new SubmitTaskRequest { Id = "child", Type = "t", DependsOn = ["dep"] });
        var claimed = await server.ClaimOneAsync();
        (await server.Http.PostAsJsonAsync("/api/v1/tasks/dep/fail", new { leaseToken = claimed.Lease!.Token, error = new { code = "x", message = "no", kind = "fatal" } }, Ct)).Dispose();

        using var response = await server.Http.PostAsync("/api/v1/tasks/child/retry", null, Ct);
        var answer = await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.TaskDto, Ct);

        Assert.Equal(("failed", "dependency_failed"), (answer!.State, answer.Error?.Code));
        Assert.Equal("failed", (await server.GetAsync("child")).State);
    }

    [Fact]
    public async Task SubmitBatch_DependentsOfACancelledDependency_AnswerSaysWhereEachIs()
    {
        await using var server = await TestServer.StartAsync();
        await server.SubmitAsync(new { id = "gone", type = "t" });
        (await server.Http.PostAsync("/api/v1/tasks/gone/cancel", null, Ct)).Dispose();

        using var response = await server.Http.PostAsJsonAsync("/api/v1/tasks/batch", new SubmitBatchRequest(
        [
            new SubmitTaskRequest { Id = "a", Type = "t", DependsOn = ["gone"], OnDependencyFailure = "cancel" },
            new SubmitTaskRequest { Id = "b", Type = "t", DependsOn = ["a"] },
            new SubmitTaskRequest { Id = "c", Type = "t" },
        ]), ContractsJsonContext.Default.SubmitBatchRequest, Ct);
        var answer = await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.SubmitBatchResponse, Ct);

        Assert.Equal([("a", "cancelled"), ("b", "failed"), ("c", "queued")], answer!.Tasks.Select(t => (t.Id, t.State)));
        Assert.Equal("failed", (await server.GetAsync("b")).State);
    }
}
