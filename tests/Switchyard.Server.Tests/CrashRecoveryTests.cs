using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Switchyard.Client.Contracts;

namespace Switchyard.Server.Tests;

/// <summary>
/// kill -9 the real server process while 10,000 tasks are being submitted and worked; after a restart
/// on the same data every acknowledged task exists and completes exactly once, and a lease token from
/// before the crash is refused.
/// </summary>
public sealed class CrashRecoveryTests : IAsyncDisposable
{
    private const int Total = 10_000;
    private const int KillAfter = 3_000;
    private readonly string _data = Directory.CreateTempSubdirectory("switchyard-crash-").FullName;
    private readonly ConcurrentDictionary<string, byte> _acknowledged = new();
    private readonly ConcurrentDictionary<string, int> _completions = new();
    private readonly TaskCompletionSource _killPoint = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopWorkers = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private volatile Generation _current = null!;
    private Task[] _workers = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = 300_000)]
    public async Task KillNine_WhileSubmittingAndWorking_NoAcknowledgedTaskLost()
    {
        _current = new Generation(await ServerProcess.StartAsync(_data, Ct));
        var producers = Enumerable.Range(0, 6).Select(Produce).ToArray();
        var workers = _workers = Enumerable.Range(0, 4).Select(w => Work($"worker-{w}")).ToArray();
        var held = await HoldOneLeaseAsync();

        await _killPoint.Task.WaitAsync(TimeSpan.FromSeconds(120), Ct);
        var crashed = _current;
        crashed.Killed = true;
        await crashed.Server.KillAsync();
        var restarted = new Generation(await ServerProcess.StartAsync(_data, Ct));
        _current = restarted;
        crashed.Up.TrySetResult(restarted);

        await Task.WhenAll(producers).WaitAsync(TimeSpan.FromSeconds(180), Ct);
        Assert.True(_acknowledged.Count >= Total);
        await AssertAllCompletedAsync(restarted.Http);
        await _stopWorkers.CancelAsync();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.All(_completions, c => Assert.Equal(1, c.Value));
        using var stale = await restarted.Http.PostAsJsonAsync($"/api/v1/tasks/{held.Id}/complete",
            new { leaseToken = held.Lease!.Token, result = "late" }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal("completed", (await restarted.Http.GetFromJsonAsync($"/api/v1/tasks/{held.Id}", ContractsJsonContext.Default.TaskDto, Ct))!.State);
        await restarted.Server.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopWorkers.CancelAsync();
        if (_current is { } generation)
        {
            await generation.Server.DisposeAsync();
            generation.Http.Dispose();
        }

        _stopWorkers.Dispose();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    private async Task Produce(int producer)
    {
        var n = 0;
        while (_acknowledged.Count < Total)
        {
            var generation = _current;
            try
            {
                if (n++ % 4 == 0)
                {
                    var tasks = Enumerable.Range(0, 25).Select(i => new SubmitTaskRequest { Type = "crash", Payload = new($"{producer * 1_000_000 + (n * 100) + i}") }).ToArray();
                    using var response = await generation.Http.PostAsJsonAsync("/api/v1/tasks/batch", new SubmitBatchRequest(tasks), ContractsJsonContext.Default.SubmitBatchRequest, Ct);
                    response.EnsureSuccessStatusCode();
                    var batch = await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.SubmitBatchResponse, Ct);
                    Acknowledge(batch!.Tasks.Select(t => t.Id));
                }
                else
                {
                    using var response = await generation.Http.PostAsJsonAsync("/api/v1/tasks",
                        new SubmitTaskRequest { Type = "crash", Payload = new($"{producer * 1_000_000 + n}") }, ContractsJsonContext.Default.SubmitTaskRequest, Ct);
                    response.EnsureSuccessStatusCode();
                    var task = await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.TaskDto, Ct);
                    Acknowledge([task!.Id]);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException && !Ct.IsCancellationRequested)
            {
                await AfterErrorAsync(generation, $"producer-{producer}", ex);
            }
        }
    }

    private async Task Work(string worker)
    {
        while (!_stopWorkers.IsCancellationRequested)
        {
            var generation = _current;
            try
            {
                var request = new ClaimTasksRequest { WorkerId = worker, MaxTasks = 16, WaitMs = 200, LeaseMs = 2_000, Types = ["crash"] };
                using var response = await generation.Http.PostAsJsonAsync("/api/v1/claims", request, ContractsJsonContext.Default.ClaimTasksRequest, _stopWorkers.Token);
                response.EnsureSuccessStatusCode();
                var claimed = await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.ClaimTasksResponse, _stopWorkers.Token);
                foreach (var task in claimed!.Tasks)
                {
                    using var complete = await generation.Http.PostAsJsonAsync($"/api/v1/tasks/{task.Id}/complete",
                        new CompleteRequest(task.Lease!.Token, task.Payload), ContractsJsonContext.Default.CompleteRequest, _stopWorkers.Token);
                    if (complete.IsSuccessStatusCode)
                    {
                        _completions.AddOrUpdate(task.Id, 1, (_, count) => count + 1);
                    }
                }
            }
            catch (OperationCanceledException) when (_stopWorkers.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                await AfterErrorAsync(generation, worker, ex);
            }
        }
    }

    /// <summary>
    /// A request failed: wait for the next generation when this one was killed; against the live server the error is
    /// recorded (it shows in the failure message) and the caller tries again.
    /// </summary>
    private async Task AfterErrorAsync(Generation generation, string who, Exception error)
    {
        if (!generation.Killed)
        {
            _errors.Enqueue($"{who}: {error.GetType().Name}: {error.Message}");
            return;
        }

        await generation.Up.Task.WaitAsync(TimeSpan.FromSeconds(120), Ct);
    }

    /// <summary>Claims one task of its own type and never completes it: its token goes stale once the task runs elsewhere.</summary>
    private async Task<TaskDto> HoldOneLeaseAsync()
    {
        var http = _current.Http;
        using (var submit = await http.PostAsJsonAsync("/api/v1/tasks", new SubmitTaskRequest { Type = "held" }, ContractsJsonContext.Default.SubmitTaskRequest, Ct))
        {
            submit.EnsureSuccessStatusCode();
        }

        using var response = await http.PostAsJsonAsync("/api/v1/claims",
            new ClaimTasksRequest { WorkerId = "holder", Types = ["held"], LeaseMs = 2_000 }, ContractsJsonContext.Default.ClaimTasksRequest, Ct);
        var held = Assert.Single((await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.ClaimTasksResponse, Ct))!.Tasks);
        _ = Task.Run(async () =>
        {
            // After the restart the held lease lapses; another worker takes the task over and completes it.
            var generation = await _current.Up.Task.WaitAsync(TimeSpan.FromSeconds(180), Ct);
            var again = await generation.Http.PostAsJsonAsync("/api/v1/claims",
                new ClaimTasksRequest { WorkerId = "taker", Types = ["held"], WaitMs = 30_000 }, ContractsJsonContext.Default.ClaimTasksRequest, Ct);
            var task = Assert.Single((await again.Content.ReadFromJsonAsync(ContractsJsonContext.Default.ClaimTasksResponse, Ct))!.Tasks);
            (await generation.Http.PostAsJsonAsync($"/api/v1/tasks/{task.Id}/complete", new CompleteRequest(task.Lease!.Token), ContractsJsonContext.Default.CompleteRequest, Ct)).Dispose();
        }, Ct);
        return held;
    }

    private void Acknowledge(IEnumerable<string> ids)
    {
        foreach (var id in ids)
        {
            _acknowledged.TryAdd(id, 0);
        }

        if (_acknowledged.Count >= KillAfter)
        {
            _killPoint.TrySetResult();
        }
    }

    private async Task AssertAllCompletedAsync(HttpClient http)
    {
        var ids = _acknowledged.Keys.ToArray();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (id, ct) =>
        {
            var task = await http.GetFromJsonAsync($"/api/v1/tasks/{id}?wait=60", ContractsJsonContext.Default.TaskDto, ct);
            if (task!.State != "completed")
            {
                var history = await http.GetStringAsync($"/api/v1/tasks/{id}/history", ct);
                Assert.Fail($"task {id} is {task.State} after a 60 s wait.\nhistory: {history}\nrequest errors: " +
                    $"{string.Join('\n', _errors.TakeLast(20))}\nworkers done: {_workers.Count(w => w.IsCompleted)} of {_workers.Length}" +
                    $" ({string.Join("; ", _workers.Where(w => w.IsFaulted).Select(w => w.Exception!.InnerException!.Message))})\n" +
                    $"server output:\n{_current.Server.OutputTail()}");
            }
        });
    }

    private sealed class Generation
    {
        private bool _killed;

        public Generation(ServerProcess server)
        {
            Server = server;
            Http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(90) }; // above the 60 s result waits
        }

        public ServerProcess Server { get; }

        /// <summary>Set just before the kill: from then on a failed request means "wait for the next generation".</summary>
        public bool Killed
        {
            get => Volatile.Read(ref _killed);
            set => Volatile.Write(ref _killed, value);
        }

        public HttpClient Http { get; }

        /// <summary>Completes with the next generation once the server is back after this one died.</summary>
        public TaskCompletionSource<Generation> Up { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
