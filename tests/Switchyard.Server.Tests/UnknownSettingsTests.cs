using Microsoft.Extensions.Configuration;
using Switchyard.Server.Hosting;

namespace Switchyard.Server.Tests;

/// <summary>A setting no part of the server reads is named at start, so a typo does not silently leave the default.</summary>
public sealed class UnknownSettingsTests : IDisposable
{
    /// <summary>Every setting docs/configuration.md documents (a dictionary's entries as <c>:x</c>).</summary>
    private static readonly string[] Documented = ["Cluster:HeartbeatMs", "Cluster:LeadershipMs", "Cluster:NodeId", "Cluster:NodeTimeoutMs", "Cluster:PollMs", "Cluster:ReconnectMaxMs", "Cluster:UpkeepMs", "Dispatch:FallbackPollMs", "Dispatch:HeartbeatIntervalMs", "Dispatch:MaxCapacity", "Dispatch:MaxPerClaim", "Dispatcher:MaxQueueLength", "Dispatcher:MaxTaskTimeoutMs", "Dispatcher:MinTaskTimeoutMs", "Dispatcher:TaskResultTtlMs", "Dispatcher:TaskTimeoutMs", "Engine:DefaultLeaseMs", "Engine:DefaultMaxQueueLength", "Engine:DefaultTimeoutMs", "Engine:MaxBatchSize", "Engine:MaxClaim", "Engine:MaxClaimWaitMs", "Engine:MaxLeaseMs", "Engine:MaxQueueLengths:x", "Engine:MaxTimeoutMs", "Engine:MinLeaseMs", "Engine:MinTimeoutMs", "Engine:RequireRegisteredTypes", "Engine:ResultTtlMs", "Events:Capacity", "Events:HeartbeatSeconds", "Events:MaxResultChars", "Events:ProgressIntervalMs", "Events:StallCheckMs", "Maintenance:BatchSize", "Maintenance:DeadlineSweepMs", "Maintenance:LeaseSweepMs", "Maintenance:RetentionSweepMs", "Maintenance:ScheduleSweepMs", "OpenAi:RequireWorker", "Postgres:ConnectionString", "Postgres:Durability", "Postgres:Schema", "Schedules:BatchSize", "Schedules:MaxCatchUpRuns", "Schedules:MisfireGraceMs", "Schedules:SweepMs", "Security:AdminKeys:x", "Security:ApiKeys:x", "Server:DataDirectory", "Server:Host", "Server:MaxRequestBytes", "Server:Port", "Server:Store", "Sqlite:CacheSizeKib", "Sqlite:CheckpointFrames", "Sqlite:Durability", "Sqlite:MaxCommandsPerTransaction", "SystemTasks:ClaimWaitMs", "SystemTasks:Enabled", "SystemTasks:LeaseMs", "SystemTasks:Queues:0", "TaskTypes:File"];

    private readonly string _data = Directory.CreateTempSubdirectory("switchyard-settings-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public void Find_EveryDocumentedSetting_NoneReported()
    {
        var settings = Documented.ToDictionary(k => k, _ => (string?)"1");
        settings["Logging:LogLevel:Default"] = "Debug"; // the logging section's keys are open
        settings["PORT"] = "7400"; // a SWITCHYARD_* shorthand at the root
        settings["server"] = "http://127.0.0.1:7400"; // SWITCHYARD_SERVER, the CLI's: a value where the section is

        Assert.Empty(UnknownSettings.Find(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()));
    }

    [Fact]
    public void Find_MisspeltKeyAndSection_EachNamedWithWhatIsTaken()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Server:Prot"] = "7401",
            ["server:port"] = "7401",
            ["Sqllite:Durability"] = "Process",
            ["Server:StoreKind"] = "sqlite", // computed from Store, not a setting
        }).Build();

        var found = UnknownSettings.Find(configuration);

        Assert.Equal(3, found.Count);
        Assert.Contains("'Server:Prot' is not a setting Switchyard reads (ignored); Server takes DataDirectory, Host, MaxRequestBytes, Port, Store", found);
        Assert.Contains("'Server:StoreKind' is not a setting Switchyard reads (ignored); Server takes DataDirectory, Host, MaxRequestBytes, Port, Store", found);
        Assert.Contains(found, f => f.StartsWith("'Sqllite' is not a section of Switchyard's settings (ignored); the sections are Cluster, ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Serve_ConfigFileWithATypo_LogsItAndStarts()
    {
        var file = Path.Combine(_data, "settings.json");
        await File.WriteAllTextAsync(file, """{"Sqlite": {"Durabilty": "Process"}}""", TestContext.Current.CancellationToken);

        await using var server = await ServerProcess.StartAsync(Path.Combine(_data, "db"), TestContext.Current.CancellationToken, "--config", file);

        Assert.Contains("warn: Switchyard.Server.Settings[3103] 'Sqlite:Durabilty' is not a setting Switchyard reads (ignored); Sqlite takes ", server.OutputTail(), StringComparison.Ordinal);
    }
}
