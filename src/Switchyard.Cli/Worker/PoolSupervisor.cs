using Switchyard.Client;
using Switchyard.Core.Model;

namespace Switchyard.Cli.Worker;

/// <summary>
/// <c>switchyard worker --min N --max M</c>: runs between N and M worker processes (this executable, same options),
/// sized by the tasks queued that they would take and the tasks they run (<see cref="PoolScaling"/>, polled every second), restarts one that crashes
/// after a backoff, and on Ctrl+C/SIGTERM forwards the signal to every child, waits for them, and kills what is left.
/// </summary>
internal sealed class PoolSupervisor(PoolOptions options, ChildCommand command, SwitchyardClient client, TextWriter log, TimeProvider time)
{
    private readonly List<PoolChild> _children = [];
    private readonly Dictionary<int, long> _running = [];
    private PoolScale _scale = new(options.Rule.Min, null);
    private DateTimeOffset _nextStart = DateTimeOffset.MinValue;
    private int _crashes;
    private bool _serverUnreachable;

    public async Task<int> RunAsync(CancellationToken stopping, CancellationToken aborting)
    {
        options.Validate();
        Say($"pool {options.Name} of {options.Rule.Min}-{options.Rule.Max} worker(s), one per {options.Rule.TasksPerWorker} task(s) queued or running in " +
            string.Join(",", options.Queues.DefaultIfEmpty("default")));
        try
        {
            Reconcile();
            using var timer = new PeriodicTimer(options.PollInterval, time);
            Task<bool>? tick = null;
            while (!stopping.IsCancellationRequested)
            {
                tick ??= timer.WaitForNextTickAsync(stopping).AsTask();
                await Task.WhenAny(_children.Select(c => c.Exited).Append(tick));
                Reap(stopping);
                if (tick.IsCompleted)
                {
                    await tick;
                    tick = null;
                    await ScaleAsync(stopping);
                }

                Reconcile();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        finally
        {
            await StopAllAsync(aborting);
        }

        return ExitCodes.Ok;
    }

    private async Task ScaleAsync(CancellationToken stopping)
    {
        var demand = await DemandAsync(stopping);
        var next = PoolScaling.Next(options.Rule, _scale, demand, time.GetUtcNow());
        if (next.Target != _scale.Target)
        {
            Say($"scaling {_scale.Target} -> {next.Target} ({demand} task(s) queued or running on its workers)");
        }

        _scale = next;
    }

    /// <summary>Starts or stops processes until the live ones match the target.</summary>
    private void Reconcile()
    {
        var live = _children.Where(c => !c.Stopping).ToList();
        var now = time.GetUtcNow();
        while (live.Count < _scale.Target && now >= _nextStart)
        {
            var slot = Enumerable.Range(1, options.Rule.Max).First(s => live.All(c => c.Slot != s));
            var child = PoolChild.Start(slot, command.Named(options.ChildName(slot)), now);
            _children.Add(child);
            live.Add(child);
            Say($"started worker {slot} (pid {child.Id})");
        }

        while (live.Count > _scale.Target)
        {
            var chosen = PoolScaling.ToStop(live, c => _running.TryGetValue(c.Slot, out var n) ? n : null, c => c.StartedAt);
            live.Remove(chosen);
            Say($"stopping worker {chosen.Slot} (pid {chosen.Id}, {(_running.TryGetValue(chosen.Slot, out var n) ? $"{n} task(s) running" : "tasks running unknown")})");
            chosen.Terminate();
        }
    }

    /// <summary>Forgets processes that ended; one that was not asked to stop crashed, and the next start waits.</summary>
    private void Reap(CancellationToken stopping)
    {
        foreach (var child in _children.Where(c => c.Exited.IsCompleted).ToArray())
        {
            _children.Remove(child);
            if (stopping.IsCancellationRequested)
            {
                Say($"worker {child.Slot} (pid {child.Id}) exited with code {child.ExitCode}");
            }
            else if (!child.Stopping && child.ExitCode == 0)
            {
                // A worker ends cleanly unasked when the server tells it to (switchyard workers terminate): no crash.
                Say($"worker {child.Slot} (pid {child.Id}) ended (code 0: the server told it to stop); starting a replacement");
            }
            else if (!child.Stopping)
            {
                var now = time.GetUtcNow();
                _crashes = now - child.StartedAt >= PoolOptions.StableAfter ? 1 : _crashes + 1;
                var delay = PoolScaling.RestartDelay(_crashes);
                _nextStart = now + delay;
                Say($"worker {child.Slot} (pid {child.Id}) exited with code {child.ExitCode}; restarting in {delay.TotalSeconds:0.#}s");
            }

            child.Dispose();
        }
    }

    /// <summary>
    /// The pool's demand: tasks queued that its workers would take (their queues, types and groups) and tasks its own
    /// workers run, counted no further than the pool at its largest needs; null when the server cannot say. Tasks that
    /// other workers run (another pool's, on another machine) are theirs: counting them would grow this pool for work
    /// it will never get.
    /// </summary>
    private async Task<long?> DemandAsync(CancellationToken stopping)
    {
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            limit.CancelAfter(TimeSpan.FromSeconds(5));
            var enough = (long)options.Rule.Max * options.Rule.TasksPerWorker;
            var demand = 0L;
            _running.Clear();
            foreach (var (slot, query) in await DemandQueriesAsync(limit.Token))
            {
                var count = await client.CountAsync(query, enough - demand, limit.Token);
                demand += count;
                if (slot is { } child)
                {
                    _running[child] = count;
                }

                if (demand >= enough)
                {
                    break;
                }
            }

            _serverUnreachable = false;
            return demand;
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or SwitchyardApiException
                                   || (ex is OperationCanceledException && !stopping.IsCancellationRequested))
        {
            if (!_serverUnreachable)
            {
                Say($"cannot count the tasks waiting for the pool ({ex.Message}); keeping {_scale.Target} worker(s)");
            }

            _serverUnreachable = true;
            return null;
        }
    }

    /// <summary>
    /// The counts that make up the demand: the tasks running on each of the pool's workers (with the child's slot), then
    /// the queued ones they would take.
    /// </summary>
    private async Task<List<(int? Slot, TaskListQuery Query)>> DemandQueriesAsync(CancellationToken cancellationToken)
    {
        var slots = _children.Where(c => !c.Exited.IsCompleted).ToDictionary(c => options.ChildName(c.Slot), c => c.Slot, StringComparer.Ordinal);
        var workers = slots.Count == 0 ? []
            : options.Push
                ? (await client.ListWorkersAsync(cancellationToken)).Where(w => w.Name is { } name && slots.ContainsKey(name)).Select(w => (w.Id, Slot: slots[w.Name!]))
                : slots.Select(s => (Id: s.Key, Slot: s.Value));
        var queries = workers.Select(w => ((int?)w.Slot, new TaskListQuery { Worker = w.Id })).ToList();
        var types = options.Types.Count > 0 ? options.Types.Distinct(StringComparer.Ordinal).ToArray<string?>() : [null];
        var groups = options.Groups.Prepend(TaskDefaults.Group).Distinct(StringComparer.Ordinal).ToArray();
        foreach (var queue in options.Queues.DefaultIfEmpty(TaskDefaults.Queue).Distinct(StringComparer.Ordinal))
        {
            foreach (var type in types)
            {
                foreach (var group in groups)
                {
                    queries.Add((null, new TaskListQuery { States = ["queued"], Queue = queue, Type = type, Group = group }));
                }
            }
        }

        return queries;
    }

    /// <summary>SIGTERM to every child; a second signal (<paramref name="aborting"/>) is forwarded too; past the timeout, kill.</summary>
    private async Task StopAllAsync(CancellationToken aborting)
    {
        var running = _children.Where(c => !c.Exited.IsCompleted).ToList();
        if (running.Count > 0)
        {
            Say($"stopping {running.Count} worker(s)");
            running.Where(c => !c.Stopping).ToList().ForEach(c => c.Terminate()); // a second SIGTERM would stop one already finishing
            using var forward = aborting.Register(() => running.ForEach(c => c.Terminate()));
            var all = Task.WhenAll(running.Select(c => c.Exited));
            try
            {
                await all.WaitAsync(options.StopTimeout, time, CancellationToken.None);
            }
            catch (TimeoutException)
            {
                Say("killing the workers still running");
                running.ForEach(c => c.Kill());
                await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(5), time, CancellationToken.None));
            }
        }

        _children.ForEach(c => c.Dispose());
        _children.Clear();
    }

    private void Say(string message) => CliLog.Line(log, time, $"pool: {message}");
}
