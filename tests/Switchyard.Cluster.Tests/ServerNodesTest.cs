using Switchyard.Storage.Conformance.Postgres;

namespace Switchyard.Cluster.Tests;

/// <summary>A test of real server processes (<see cref="ServerNode"/>) on a fresh schema of the shared PostgreSQL, dropped afterwards.</summary>
public abstract class ServerNodesTest(SharedPostgres postgres) : IAsyncLifetime
{
    protected static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    protected string Schema { get; } = PostgresCluster.NewSchema();

    /// <summary>The shared PostgreSQL's connection string.</summary>
    protected string ConnectionString => postgres.Cluster.ConnectionString;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await postgres.Cluster.DropSchemaAsync(Schema);
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts a node on the schema; <paramref name="settings"/> is its JSON settings file.</summary>
    internal Task<ServerNode> StartNodeAsync(object? settings = null) =>
        ServerNode.StartAsync(postgres.Cluster.ConnectionString, Schema, settings ?? new { }, Ct);
}
