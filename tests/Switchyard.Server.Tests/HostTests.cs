using System.Net;
using System.Text.Json;
using Switchyard.Server.Hosting;
using Switchyard.Server.Security;

namespace Switchyard.Server.Tests;

public sealed class HostTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Probes_Started_HealthyAndReady()
    {
        await using var server = await TestServer.StartAsync();
        Assert.Equal("ok", await server.Http.GetStringAsync("/healthz", Ct));
        using var ready = await server.Http.GetAsync("/readyz", Ct);
        Assert.Equal("ready", await ready.Content.ReadAsStringAsync(Ct));
        Assert.Equal("sqlite", Assert.Single(ready.Headers.GetValues("Switchyard-Store")));
        Assert.Equal(
            "lease-rescuer,schedule-promoter,deadline-enforcer,retention-cleaner,schedule-runner,system-tasks",
            Assert.Single(ready.Headers.GetValues("Switchyard-Leads"))); // no cluster's jobs on a store of one node
    }

    [Fact]
    public async Task OpenApi_Served_DescribesTheTaskRoutes()
    {
        await using var server = await TestServer.StartAsync();
        using var document = JsonDocument.Parse(await server.Http.GetStringAsync("/openapi/v1.json", Ct));
        var paths = document.RootElement.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/tasks", "/api/v1/tasks/{id}", "/api/v1/claims", "/api/v1/tasks/{id}/complete", "/api/v1/queues" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"OpenAPI lacks {path}");
        }
    }

    [Fact]
    public void Build_NonLoopbackHostWithoutKeys_RefusesToStart()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SwitchyardServer.Build(new Dictionary<string, string?>
        {
            ["Server:Host"] = "0.0.0.0",
            ["Server:DataDirectory"] = Path.Combine(Path.GetTempPath(), "switchyard-never-created"),
        }));
        Assert.Contains("API keys", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_DataFolderCannotBeCreated_RefusesNamingTheStoreAndTheReason()
    {
        var file = Path.GetTempFileName(); // a file where the data folder's parent should be
        try
        {
            await using var app = SwitchyardServer.Build(new Dictionary<string, string?>
            {
                ["Server:Port"] = "0",
                ["Server:DataDirectory"] = Path.Combine(file, "data"),
            });

            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => SwitchyardServer.StartAsync(app, Ct));

            Assert.StartsWith($"Could not open the sqlite store ({Path.Combine(file, "data", "switchyard.db")}): ", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Build_ConfigFileNotJson_RefusesNamingTheFileAndWhereItBreaks()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "{\"Engine\": {bad");

            var refused = Assert.Throws<InvalidOperationException>(() => SwitchyardServer.Build(new Dictionary<string, string?> { ["Config"] = file }));

            Assert.StartsWith($"Could not read the configuration file {file}: ", refused.Message, StringComparison.Ordinal);
            Assert.EndsWith("is an invalid start of a property name. Expected a '\"' (line 1, column 13)", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Start_InvalidEngineSetting_RefusesNamingTheSectionAndTheRule()
    {
        var data = Directory.CreateTempSubdirectory("switchyard-host-test-").FullName;
        try
        {
            await using (var app = SwitchyardServer.Build(new Dictionary<string, string?>
            {
                ["Server:Port"] = "0",
                ["Server:DataDirectory"] = data,
                ["Engine:DefaultLeaseMs"] = "-5",
            }))
            {
                var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => SwitchyardServer.StartAsync(app, Ct));

                Assert.StartsWith("Invalid configuration (Engine): DefaultLeaseMs must lie between", refused.Message, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Theory]
    [InlineData("Sqlite:MaxCommandsPerTransaction", "0", "Sqlite:MaxCommandsPerTransaction must be between 1 and 1000000")]
    [InlineData("Sqlite:CheckpointFrames", "-1", "Sqlite:CheckpointFrames must not be negative")]
    [InlineData("Schedules:MaxCatchUpRuns", "0", "Schedules:MaxCatchUpRuns must be between 1 and 10000")]
    [InlineData("Maintenance:LeaseSweepMs", "1", "Maintenance:LeaseSweepMs must be at least 10 ms")]
    [InlineData("OpenAi:TimeoutMs", "0", "OpenAi:TimeoutMs must be a positive number of milliseconds")]
    public async Task Start_InvalidSetting_RefusesNamingTheSettingAndItsRange(string key, string value, string says)
    {
        var data = Directory.CreateTempSubdirectory("switchyard-host-test-").FullName;
        try
        {
            await using var app = SwitchyardServer.Build(new Dictionary<string, string?>
            {
                ["Server:Port"] = "0",
                ["Server:DataDirectory"] = data,
                [key] = value,
            });

            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => SwitchyardServer.StartAsync(app, Ct)).WaitAsync(TimeSpan.FromSeconds(30), Ct);

            Assert.StartsWith("Invalid configuration: ", refused.Message, StringComparison.Ordinal);
            Assert.Contains(says, refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Theory]
    [InlineData("Security:ApiKeys:ops", "the-key-itself", "Security:ApiKeys:ops must be the key's SHA-256 hash, 64 lowercase hex characters")]
    [InlineData("Security:ApiKeys:ops", "ab", "not a value of 2 characters")]
    [InlineData("Security:AdminKeys:0", "root", "Security:AdminKeys names 'root', which is not a key of Security:ApiKeys")]
    public void Build_BadKeySetting_RefusedWithoutRepeatingTheValue(string key, string value, string says)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => SwitchyardServer.Build(new Dictionary<string, string?> { [key] = value }));

        Assert.StartsWith("Invalid configuration: ", refused.Message, StringComparison.Ordinal);
        Assert.Contains(says, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("the-key-itself", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_AddressTheSystemWillNotBind_RefusesNamingTheSetting()
    {
        var data = Directory.CreateTempSubdirectory("switchyard-host-test-").FullName;
        try
        {
            await using var app = SwitchyardServer.Build(new Dictionary<string, string?>
            {
                ["Server:Host"] = "::ffff:127.0.0.1",
                ["Server:Port"] = "0",
                ["Server:DataDirectory"] = data,
            });

            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => SwitchyardServer.StartAsync(app, Ct)).WaitAsync(TimeSpan.FromSeconds(30), Ct);

            Assert.StartsWith("Could not listen on ::ffff:127.0.0.1 port 0 (Server:Host, Server:Port): ", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Theory]
    [InlineData("Sqlite:Durability", "fast", "Sqlite:Durability takes fsync or process, not 'fast'")]
    [InlineData("Server:Port", "abc", "Server:Port takes a whole number, not 'abc'")]
    public async Task BuildOrStart_UnconvertibleSetting_DescribedInTheSettingsTerms(string key, string value, string says)
    {
        var data = Directory.CreateTempSubdirectory("switchyard-host-test-").FullName;
        try
        {
            var settings = new Dictionary<string, string?> { ["Server:Port"] = "0", ["Server:DataDirectory"] = data, [key] = value };
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            {
                await using var app = SwitchyardServer.Build(settings);
                await using var running = await SwitchyardServer.StartAsync(app, Ct);
            }).WaitAsync(TimeSpan.FromSeconds(30), Ct);

            Assert.Equal(says, SettingErrors.Describe(refused));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Start_PortTaken_RefusesNamingTheAddress()
    {
        await using var first = await TestServer.StartAsync();
        await using var app = SwitchyardServer.Build(new Dictionary<string, string?>
        {
            ["Server:Port"] = first.Http.BaseAddress!.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Sqlite:Durability"] = "Process",
            ["Server:DataDirectory"] = Path.Combine(first.DataDirectory, "second"),
        });

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => SwitchyardServer.StartAsync(app, Ct));

        Assert.Contains($"127.0.0.1:{first.Http.BaseAddress.Port}", refused.Message, StringComparison.Ordinal);
        Assert.Contains("address already in use", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_AnyServer_WatchesNoFiles()
    {
        // The host's defaults would watch the working directory, recursively, for appsettings.json changes; with the
        // data directory under it, every database write would wake that watcher.
        Assert.SkipUnless(OperatingSystem.IsLinux(), "counts inotify watches in /proc");
        var data = Directory.CreateTempSubdirectory("switchyard-watch-").FullName;
        try
        {
            var before = InotifyWatches();
            await using var app = SwitchyardServer.Build(new Dictionary<string, string?> { ["Server:DataDirectory"] = data });
            var after = InotifyWatches();
            Assert.True(after <= before, $"building a server added inotify watches ({before} before, {after} after)");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static int InotifyWatches()
    {
        var watches = 0;
        foreach (var info in Directory.EnumerateFiles("/proc/self/fdinfo"))
        {
            try
            {
                watches += File.ReadLines(info).Count(line => line.StartsWith("inotify wd:", StringComparison.Ordinal));
            }
            catch (IOException)
            {
                // The descriptor closed while it was read.
            }
        }

        return watches;
    }

    [Fact]
    public async Task ApiKeys_Configured_RequestWithoutKeyUnauthorizedWithKeyServed()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Security:ApiKeys:ci"] = ApiKeys.Hash("s3cret-key"),
        });
        var problem = await ProblemAssert.IsProblem(await server.Http.GetAsync("/api/v1/tasks", Ct), HttpStatusCode.Unauthorized, "unauthorized");
        Assert.DoesNotContain("s3cret", problem.Detail, StringComparison.Ordinal);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/tasks");
        request.Headers.Authorization = new("Bearer", "s3cret-key");
        using var ok = await server.Http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/healthz", Ct)).StatusCode);
    }
}
