using Switchyard.Storage.Conformance.Postgres;

[assembly: AssemblyFixture(typeof(Switchyard.Cluster.Tests.SharedPostgres))]

namespace Switchyard.Cluster.Tests;

/// <summary>The run's PostgreSQL cluster (<c>SWITCHYARD_TEST_POSTGRES</c>, or one of this project's own); each test takes a fresh schema of it.</summary>
public sealed class SharedPostgres : IAsyncLifetime
{
    public PostgresCluster Cluster { get; } = new();

    public ValueTask InitializeAsync() => Cluster.InitializeAsync();

    public ValueTask DisposeAsync() => Cluster.DisposeAsync();
}
