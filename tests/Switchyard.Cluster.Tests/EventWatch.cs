using System.Collections.Concurrent;
using System.Text.Json;
using Switchyard.Client.Contracts;

namespace Switchyard.Cluster.Tests;

/// <summary>
/// One SSE subscriber of a node (<c>GET /api/v1/events</c>) in the background: collects, per task, the event types it
/// was told in order, and signals once <see cref="Expect"/>ed tasks have all been told one event type.
/// </summary>
internal sealed class EventWatch : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, List<string>> _byTask = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _until;
    private int _expected = int.MaxValue;
    private int _reached;
    private Task _reading = Task.CompletedTask;

    private EventWatch(string until) => _until = until;

    /// <summary>Per task, the event types in the order the stream told them.</summary>
    public IReadOnlyDictionary<string, List<string>> ByTask => _byTask;

    /// <summary>Completes when <see cref="Expect"/>'s number of tasks have each been told the watched type.</summary>
    public Task Done => Volatile.Read(ref _done).Task;

    /// <summary>Subscribes (to every type) and returns once the stream is open.</summary>
    public static async Task<EventWatch> StartAsync(HttpClient http, string until, CancellationToken cancellationToken)
    {
        var watch = new EventWatch(until);
        watch._reading = watch.ReadAsync(http);
        await watch._connected.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        return watch;
    }

    /// <summary>Starts a new count (<see cref="Done"/> becomes a new signal) for the next <see cref="Expect"/>.</summary>
    public void Reset() => Volatile.Write(ref _done, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public void Expect(int tasks)
    {
        Volatile.Write(ref _expected, tasks);
        if (Volatile.Read(ref _reached) >= tasks)
        {
            Volatile.Read(ref _done).TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task ReadAsync(HttpClient http)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/events");
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _stop.Token);
            response.EnsureSuccessStatusCode();
            _connected.TrySetResult();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token));
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (!line.StartsWith("data: ", StringComparison.Ordinal)
                    || JsonSerializer.Deserialize(line.AsSpan(6), ContractsJsonContext.Default.EventDto) is not { TaskId: { } id } taskEvent)
                {
                    continue;
                }

                var told = _byTask.GetOrAdd(id, _ => []);
                told.Add(taskEvent.Type);
                if (taskEvent.Type == _until && told.Count(t => t == _until) == 1 && Interlocked.Increment(ref _reached) >= Volatile.Read(ref _expected))
                {
                    Volatile.Read(ref _done).TrySetResult();
                }
            }
        }
        catch (Exception ex)
        {
            _connected.TrySetException(ex);
            Volatile.Read(ref _done).TrySetException(ex);
        }
    }
}
