using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Switchyard.Core.Cluster;
using Switchyard.Core.Dispatch;
using Switchyard.Core.Engine;
using Switchyard.Core.Events;
using Switchyard.Storage.Postgres;
using Switchyard.Storage.Postgres.Cluster;

namespace Switchyard.Cluster.Tests;

/// <summary>
/// One node's engine built by hand in the test process: its own connection pool, store, event bus, broker, cluster bus,
/// inbox and listener on a shared schema. Several of them in one process behave as several servers on one database.
/// </summary>
internal sealed class ClusterNode : IAsyncDisposable
{
    private ClusterNode(PostgresDatabase database, PgClusterBus bus, TaskEventHub hub, TaskBroker broker, ProgressFeed feed, PgListener listener)
    {
        Database = database;
        Bus = bus;
        Hub = hub;
        Broker = broker;
        Feed = feed;
        Listener = listener;
    }

    public PostgresDatabase Database { get; }

    public PgClusterBus Bus { get; }

    public TaskEventHub Hub { get; }

    public TaskBroker Broker { get; }

    public ProgressFeed Feed { get; }

    public PgListener Listener { get; }

    /// <param name="clock">The engine's clock (store, queries, broker); the bus and the listener keep the real one.</param>
    public static async Task<ClusterNode> StartAsync(
        string connectionString, string schema, int pollMs, CancellationToken cancellationToken, TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        var database = new PostgresDatabase(new PostgresStoreOptions { ConnectionString = connectionString, Schema = schema });
        var bus = new PgClusterBus(database, Options.Create(new ClusterOptions { PollMs = pollMs }), NullLogger<PgClusterBus>.Instance);
        var store = new PostgresTaskStore(database, clock, NullLogger<PostgresTaskStore>.Instance, cluster: bus);
        await store.InitializeAsync(cancellationToken);
        var queries = new PostgresTaskQueries(database, clock);
        var hub = new TaskEventHub(Options.Create(new EventBusOptions()), TimeProvider.System, cluster: bus);
        var broker = new TaskBroker(store, queries, hub, Options.Create(new EngineOptions()), clock,
            NullLogger<TaskBroker>.Instance, cluster: bus);
        var feed = new ProgressFeed();
        var dispatcher = new PushDispatcher(broker, Options.Create(new DispatchOptions()), NullLogger<PushDispatcher>.Instance);
        var inbox = new ClusterInbox(broker, queries, feed, [], dispatcher, NullLogger<ClusterInbox>.Instance);
        var listener = new PgListener(database, bus, inbox, TimeProvider.System, NullLogger<PgListener>.Instance);
        await listener.StartAsync(cancellationToken);
        await listener.Started.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        return new ClusterNode(database, bus, hub, broker, feed, listener);
    }

    public async ValueTask DisposeAsync()
    {
        await Listener.StopAsync(CancellationToken.None);
        Listener.Dispose();
        await Bus.DisposeAsync();
        Hub.Dispose();
        await Database.DisposeAsync();
    }
}
