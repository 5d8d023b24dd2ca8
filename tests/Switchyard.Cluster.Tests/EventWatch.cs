using System.Collections.Concurrent;
using System.Text.Json;
using Switchyard.Client.Contracts;

namespace Switchyard.Cluster.Tests;

/// <summary>
/// One SSE subscriber of a node (<c>GET /api/v1/events</c>) in the background: collects, per task, the event types it
/// was told in order, and counts the tasks told the watched type (each once, however often it is told).
/// </summary>
/// <remarks>
/// Each wait (<see cref="Reached"/>) carries its own target: a signal shared by successive waits, re-armed between them,
/// could be completed by an event counted after one wait ended against that wait's (stale) target, and let the next
/// wait through at once.
/// </remarks>
internal sealed class EventWatch : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, List<string>> _byTask = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(int Tasks, TaskCompletionSource Signal)> _waits = [];
    private readonly Lock _counting = new();
    private readonly string _until;
    private int _reached;
    private Exception? _ended;
    private Task _reading = Task.CompletedTask;

    private EventWatch(string until) => _until = until;

    /// <summary>Per task, the event types in the order the stream told them.</summary>
    public IReadOnlyDictionary<string, List<string>> ByTask => _byTask;

    /// <summary>Subscribes (to every type) and returns once the stream is open.</summary>
    public static async Task<EventWatch> StartAsync(HttpClient http, string until, CancellationToken cancellationToken)
    {
        var watch = new EventWatch(until);
        watch._reading = watch.ReadAsync(http);
        await watch._connected.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        return watch;
    }

    /// <summary>Completes once <paramref name="tasks"/> tasks in all have been told the watched type; faults if the stream ends first.</summary>
    public Task Reached(int tasks)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_counting)
        {
            if (_reached >= tasks)
            {
                signal.SetResult();
            }
            else if (_ended is not null)
            {
                signal.SetException(_ended);
            }
            else
            {
                _waits.Add((tasks, signal));
            }
        }

        return signal.Task;
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
                if (taskEvent.Type == _until && told.Count(t => t == _until) == 1)
                {
                    Count();
                }
            }

            End(new InvalidOperationException("the node closed the event stream"));
        }
        catch (Exception ex)
        {
            _connected.TrySetException(ex);
            End(ex);
        }
    }

    private void Count()
    {
        lock (_counting)
        {
            _reached++;
            _waits.RemoveAll(w => w.Tasks <= _reached && w.Signal.TrySetResult());
        }
    }

    private void End(Exception why)
    {
        lock (_counting)
        {
            _ended = why;
            foreach (var (_, signal) in _waits)
            {
                signal.TrySetException(why);
            }

            _waits.Clear();
        }
    }
}
