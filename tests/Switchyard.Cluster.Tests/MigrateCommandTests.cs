using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using Switchyard.Storage.Conformance.Postgres;
using Switchyard.Storage.Postgres;

namespace Switchyard.Cluster.Tests;

/// <summary>
/// <c>switchyard migrate</c> as a real process: it migrates, prints the schema version, and a second run has nothing to
/// do; the store and its connection come from flags or from the environment.
/// </summary>
public sealed class MigrateCommandTests(SharedPostgres postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Migrate_Postgres_AppliesOnceAndPrintsTheVersion()
    {
        var schema = PostgresCluster.NewSchema();
        try
        {
            var latest = PgMigrator.Embedded.Max(m => m.Version);
            var first = await RunAsync("migrate", "--store", "postgres", "--postgres", postgres.Cluster.ConnectionString, "--schema", schema);
            Assert.Equal(0, first.Exit);
            Assert.Contains($"schema version {latest} ({PgMigrator.Embedded.Count} migrations applied now)", first.Output, StringComparison.Ordinal);
            Assert.Contains($"schema {schema}", first.Output, StringComparison.Ordinal);

            var second = await RunAsync("migrate", "--store", "postgres", "--postgres", postgres.Cluster.ConnectionString, "--schema", schema);
            Assert.Equal(0, second.Exit);
            Assert.Contains($"schema version {latest} (0 migrations applied now)", second.Output, StringComparison.Ordinal);
        }
        finally
        {
            await postgres.Cluster.DropSchemaAsync(schema);
        }
    }

    [Fact]
    public async Task Migrate_StoreAndConnectionFromTheEnvironment_MigratesThatPostgresSchema()
    {
        var schema = PostgresCluster.NewSchema();
        try
        {
            var run = await RunAsync(
                new Dictionary<string, string>
                {
                    ["SWITCHYARD_STORE"] = "postgres",
                    ["SWITCHYARD_POSTGRES"] = postgres.Cluster.ConnectionString,
                    ["SWITCHYARD_Postgres__Schema"] = schema,
                },
                "migrate");
            Assert.Equal(0, run.Exit);
            Assert.Contains($"postgres store, schema {schema}", run.Output, StringComparison.Ordinal);
            Assert.Contains($"({PgMigrator.Embedded.Count} migrations applied now)", run.Output, StringComparison.Ordinal);
        }
        finally
        {
            await postgres.Cluster.DropSchemaAsync(schema);
        }
    }

    [Fact]
    public async Task Migrate_Sqlite_CreatesTheDatabaseInTheDataFolder_AndNamesSettingsNothingReads()
    {
        var data = Directory.CreateTempSubdirectory("switchyard-migrate-").FullName;
        try
        {
            var config = Path.Combine(data, "settings.json");
            await File.WriteAllTextAsync(config, """{"Sqlite": {"CheckpointFrame": 10}}""", TestContext.Current.CancellationToken);
            var run = await RunAsync("migrate", "--data", data, "--config", config);
            Assert.Equal(0, run.Exit);
            Assert.Contains("sqlite store", run.Output, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(data, "switchyard.db")));
            Assert.StartsWith("switchyard: warning: 'Sqlite:CheckpointFrame' is not a setting Switchyard reads (ignored); Sqlite takes ", run.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Migrate_Json_PrintsOneObject()
    {
        var data = Directory.CreateTempSubdirectory("switchyard-migrate-").FullName;
        try
        {
            var run = await RunAsync("migrate", "--data", data, "--json");
            Assert.Equal(0, run.Exit);
            using var report = JsonDocument.Parse(run.Output);
            Assert.Equal("sqlite", report.RootElement.GetProperty("store").GetString());
            Assert.Contains(data, report.RootElement.GetProperty("location").GetString(), StringComparison.Ordinal);
            Assert.True(report.RootElement.GetProperty("version").GetInt32() > 0);
            Assert.Equal(report.RootElement.GetProperty("version").GetInt32(), report.RootElement.GetProperty("applied").GetInt32());
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Migrate_RoleOwningASchemaMadeForIt_WithoutCreateOnTheDatabase_Migrates()
    {
        var schema = PostgresCluster.NewSchema();
        var role = "owner_" + schema;
        await using (var admin = new NpgsqlConnection(postgres.Cluster.ConnectionString))
        {
            await admin.OpenAsync(Ct);
            await using var setup = new NpgsqlCommand($"CREATE ROLE \"{role}\" LOGIN; CREATE SCHEMA \"{schema}\" AUTHORIZATION \"{role}\"", admin);
            await setup.ExecuteNonQueryAsync(Ct);
        }

        try
        {
            var asRole = new NpgsqlConnectionStringBuilder(postgres.Cluster.ConnectionString) { Username = role, Password = null }.ConnectionString;
            var run = await RunAsync("migrate", "--store", "postgres", "--postgres", asRole, "--schema", schema);
            Assert.True(run.Exit == 0, run.Error);
            Assert.Contains($"({PgMigrator.Embedded.Count} migrations applied now)", run.Output, StringComparison.Ordinal);
        }
        finally
        {
            await postgres.Cluster.DropSchemaAsync(schema);
            await using var admin = new NpgsqlConnection(postgres.Cluster.ConnectionString);
            await admin.OpenAsync(Ct);
            await using var drop = new NpgsqlCommand($"DROP ROLE IF EXISTS \"{role}\"", admin);
            await drop.ExecuteNonQueryAsync(Ct);
        }
    }

    [Fact]
    public async Task Migrate_PostgresWithoutConnectionString_ExitsWithUsage()
    {
        var run = await RunAsync("migrate", "--store", "postgres", "--postgres", "");
        Assert.Equal(2, run.Exit);
        Assert.Contains("Postgres:ConnectionString is required", run.Error, StringComparison.Ordinal);
    }

    private static Task<(int Exit, string Output, string Error)> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string>(), args);

    private static async Task<(int Exit, string Output, string Error)> RunAsync(Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment.Remove("SWITCHYARD_POSTGRES");
        start.Environment.Remove("SWITCHYARD_STORE");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "switchyard.dll") }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct);
        return (process.ExitCode, await output, await error);
    }
}
