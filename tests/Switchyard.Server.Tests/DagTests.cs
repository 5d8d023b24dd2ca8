using System.Collections.Concurrent;
using System.Net.Http.Json;
using Switchyard.Client.Contracts;

namespace Switchyard.Server.Tests;

/// <summary>A 1,000-task DAG with fan-out and fan-in, submitted in one call, run by 8 concurrent pull workers.</summary>
public sealed class DagTests
{
    private const int Workers = 8;
    private static readonly int[] Levels = [1, 300, 30, 300, 30, 300, 39];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Dag_ThousandTasksEightWorkers_EveryTaskRunsAfterItsDependenciesComplete()
    {
        await using var server = await TestServer.StartAsync();
        var dag = Build(new Random(1234));
        Assert.Equal(1_000, dag.Count);
        using (var submit = await server.Http.PostAsJsonAsync("/api/v1/tasks/batch",
                   new SubmitBatchRequest(dag.Select(n => new SubmitTaskRequest { Id = n.Key, Type = "step", DependsOn = n.Value }).ToArray()),
                   ContractsJsonContext.Default.SubmitBatchRequest, Ct))
        {
            submit.EnsureSuccessStatusCode();
        }

        var completed = new ConcurrentDictionary<string, bool>();
        var violations = new ConcurrentBag<string>();
        using var done = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        done.CancelAfter(TimeSpan.FromMinutes(2));
        var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            while (completed.Count < dag.Count && !done.IsCancellationRequested)
            {
                var claimed = await server.ClaimAsync(new ClaimTasksRequest { WorkerId = $"w{w}", MaxTasks = 1, WaitMs = 500 });
                foreach (var task in claimed.Tasks)
                {
                    var deps = (await server.Http.GetFromJsonAsync($"/api/v1/tasks/{task.Id}/dependencies",
                        ContractsJsonContext.Default.TaskListResponse, done.Token))!.Tasks;
                    if (deps.Count != dag[task.Id].Length || deps.Any(d => d.State != "completed"))
                    {
                        violations.Add($"{task.Id} claimed while {string.Join(", ", deps.Select(d => $"{d.Id}={d.State}"))}");
                    }

                    using var complete = await server.Http.PostAsJsonAsync($"/api/v1/tasks/{task.Id}/complete",
                        new CompleteRequest(task.Lease!.Token, null), ContractsJsonContext.Default.CompleteRequest, done.Token);
                    complete.EnsureSuccessStatusCode();
                    Assert.True(completed.TryAdd(task.Id, true), $"{task.Id} completed twice");
                }
            }
        }, done.Token)).ToArray();

        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(2), Ct);

        Assert.Empty(violations);
        Assert.Equal(dag.Count, completed.Count);
        var queue = (await server.Http.GetFromJsonAsync("/api/v1/queues/default", ContractsJsonContext.Default.QueueDto, Ct))!;
        Assert.Equal(1_000, queue.Counts["completed"]);
        Assert.Equal(0, queue.Waiting);

        // Dependency order, as the server recorded it: every task started no earlier than its last dependency completed.
        foreach (var (id, deps) in dag.Where(n => n.Value.Length > 0).Take(200))
        {
            var started = (await HistoryAsync(server, id)).Single(h => h.Event == "claimed").At;
            foreach (var dep in deps)
            {
                Assert.True(started >= (await HistoryAsync(server, dep)).Single(h => h.Event == "completed").At, $"{id} started before {dep} completed");
            }
        }
    }

    /// <summary>Levels of tasks; each task of a level depends on 1-10 tasks of the level before.</summary>
    private static Dictionary<string, string[]> Build(Random random)
    {
        var dag = new Dictionary<string, string[]>(StringComparer.Ordinal);
        string[] previous = [];
        for (var level = 0; level < Levels.Length; level++)
        {
            var current = Enumerable.Range(0, Levels[level]).Select(i => $"L{level}-{i}").ToArray();
            foreach (var id in current)
            {
                dag[id] = previous.Length == 0 ? [] : random.GetItems(previous, random.Next(1, 11)).Distinct().ToArray();
            }

            previous = current;
        }

        return dag;
    }

    private static async Task<IReadOnlyList<HistoryEntryDto>> HistoryAsync(TestServer server, string id) =>
        (await server.Http.GetFromJsonAsync($"/api/v1/tasks/{id}/history", ContractsJsonContext.Default.TaskHistoryResponse, Ct))!.Entries;
}
