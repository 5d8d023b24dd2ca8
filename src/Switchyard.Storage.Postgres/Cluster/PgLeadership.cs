using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Switchyard.Core;
using Switchyard.Core.Cluster;
using Switchyard.Core.Engine;

namespace Switchyard.Storage.Postgres.Cluster;

/// <summary>
/// Leader election on PostgreSQL: one session-level advisory lock per role (<see cref="LeaderRoles"/>), keyed by the
/// schema and the role, held on a dedicated connection. Every <see cref="ClusterOptions.LeadershipMs"/> the node tries
/// the roles it lacks (<c>pg_try_advisory_lock</c>, never waiting) and, in the same round trip, proves its connection
/// alive. When the connection fails the node gives up every role at once; PostgreSQL frees its locks when the session
/// ends (a killed node's at once, a partitioned one's when its TCP connection times out), and another node takes them.
/// </summary>
public sealed partial class PgLeadership : BackgroundService, ILeadership
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(50);

    private readonly PostgresDatabase _database;
    private readonly PgClusterBus _bus;
    private readonly TimeProvider _time;
    private readonly ILogger<PgLeadership> _logger;
    private readonly WorkSignal _changed = new();
    private readonly int _schemaKey;
    private readonly Meter? _meter;
    private string[] _held = [];

    public PgLeadership(PostgresDatabase database, PgClusterBus bus, TimeProvider time, ILogger<PgLeadership> logger, IMeterFactory? meters = null)
    {
        _database = database;
        _bus = bus;
        _time = time;
        _logger = logger;
        _schemaKey = PgChannel.SchemaKey(database.Options.Schema);
        if (meters is not null)
        {
            _meter = meters.Create(SwitchyardMeter.Name);
            _meter.CreateObservableGauge("cluster.leader", () => LeaderRoles.All.Select(role => new Measurement<int>(Holds(role) ? 1 : 0,
                new KeyValuePair<string, object?>("role", role))), null, "1 for each singleton job this node runs now");
        }
    }

    public IReadOnlyList<string> Held => Volatile.Read(ref _held);

    public Task Changed => _changed.Next;

    public bool Holds(string role) => Array.IndexOf(Volatile.Read(ref _held), role) >= 0;

    public override void Dispose()
    {
        _meter?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pause = FirstPause;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _database.OpenDedicatedAsync(stoppingToken);
                using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(_bus.Options.LeadershipMs), _time);
                do
                {
                    await TryTakeAsync(connection, stoppingToken);
                    pause = FirstPause;
                }
                while (await timer.WaitForNextTickAsync(stoppingToken));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                if (Held.Count > 0)
                {
                    LogLostAll(string.Join(", ", Held), ex);
                }

                SetHeld([]);
                try
                {
                    await Task.Delay(pause, _time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, _bus.Options.ReconnectMaxMs));
            }
        }

        SetHeld([]); // the connection is closed: PostgreSQL has freed the locks
    }

    /// <summary>Tries every role not held; one round trip that also proves the connection (and so the held locks) alive.</summary>
    private async Task TryTakeAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var held = Held;
        var wanted = Enumerable.Range(0, LeaderRoles.All.Count).Where(i => !held.Contains(LeaderRoles.All[i])).ToArray();
        await using var command = new NpgsqlCommand(
            "SELECT r FROM unnest(@roles) AS r WHERE pg_try_advisory_lock(@schema, r + 1)", connection);
        command.Parameters.AddWithValue("roles", wanted);
        command.Parameters.AddWithValue("schema", _schemaKey);
        var taken = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                taken.Add(LeaderRoles.All[reader.GetInt32(0)]);
            }
        }

        if (taken.Count > 0)
        {
            SetHeld([.. LeaderRoles.All.Where(role => held.Contains(role) || taken.Contains(role))]);
            LogTook(_bus.NodeId, string.Join(", ", taken));
        }
    }

    private void SetHeld(string[] roles)
    {
        var before = Interlocked.Exchange(ref _held, roles);
        if (!before.SequenceEqual(roles))
        {
            _changed.Pulse();
        }
    }

    [LoggerMessage(EventId = 2321, Level = LogLevel.Information, Message = "Node {NodeId} now leads {Roles}")]
    private partial void LogTook(string nodeId, string roles);

    [LoggerMessage(EventId = 2322, Level = LogLevel.Warning, Message = "The leadership connection failed; this node no longer leads {Roles}")]
    private partial void LogLostAll(string roles, Exception exception);
}
