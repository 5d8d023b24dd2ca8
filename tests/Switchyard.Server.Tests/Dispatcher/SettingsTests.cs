using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchyard.Server.Dialects.Dispatcher;

namespace Switchyard.Server.Tests.Dispatcher;

/// <summary>The origin's environment variables and the Dispatcher section: defaults, values, warnings, precedence.</summary>
public sealed class SettingsTests
{
    [Fact]
    public void Load_NothingSet_SpecDefaults()
    {
        var (options, warnings) = Load(new Dictionary<string, string?>());

        Assert.Equal((60_000L, 5_000L, 600_000L, 1_000, 300_000L),
            (options.TaskTimeoutMs, options.MinTaskTimeoutMs, options.MaxTaskTimeoutMs, options.MaxQueueLength, options.TaskResultTtlMs));
        Assert.Empty(warnings);
    }

    [Fact]
    public void Load_EnvironmentValues_Used()
    {
        var (options, warnings) = Load(new Dictionary<string, string?>
        {
            ["TASK_TIMEOUT_MS"] = "1234",
            ["MIN_TASK_TIMEOUT_MS"] = "0",
            ["MAX_TASK_TIMEOUT_MS"] = "99999",
            ["MAX_QUEUE_LENGTH"] = "7",
            ["TASK_RESULT_TTL_MS"] = "10",
        });

        Assert.Equal((1234L, 0L, 99_999L, 7, 10L),
            (options.TaskTimeoutMs, options.MinTaskTimeoutMs, options.MaxTaskTimeoutMs, options.MaxQueueLength, options.TaskResultTtlMs));
        Assert.Empty(warnings);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("12.5")]
    [InlineData("-1")]
    [InlineData("1e3")]
    [InlineData("99999999999999999999")]
    public void Load_NotANonNegativeInteger_DefaultAndAWarning(string value)
    {
        var (options, warnings) = Load(new Dictionary<string, string?> { ["TASK_TIMEOUT_MS"] = value, ["MAX_QUEUE_LENGTH"] = value });

        Assert.Equal((60_000L, 1_000), (options.TaskTimeoutMs, options.MaxQueueLength));
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.Contains("TASK_TIMEOUT_MS", StringComparison.Ordinal) && w.Contains(value, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_Empty_DefaultWithoutWarning()
    {
        var (options, warnings) = Load(new Dictionary<string, string?> { ["TASK_RESULT_TTL_MS"] = "" });

        Assert.Equal(300_000L, options.TaskResultTtlMs);
        Assert.Empty(warnings);
    }

    [Fact]
    public void Load_SectionAndEnvironment_SectionWins()
    {
        var (options, warnings) = Load(
            new Dictionary<string, string?> { ["TASK_TIMEOUT_MS"] = "1000", ["MAX_QUEUE_LENGTH"] = "3" },
            new Dictionary<string, string?> { ["Dispatcher:TaskTimeoutMs"] = "2000", ["Dispatcher:TaskResultTtlMs"] = "oops" });

        Assert.Equal((2000L, 3, 300_000L), (options.TaskTimeoutMs, options.MaxQueueLength, options.TaskResultTtlMs));
        Assert.Contains("Dispatcher:TaskResultTtlMs", Assert.Single(warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MinAboveMax_RefusedNamingTheVariables()
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(EnvironmentVariables.From(new Dictionary<string, string?> { ["MIN_TASK_TIMEOUT_MS"] = "9000", ["MAX_TASK_TIMEOUT_MS"] = "8000" }));
        services.AddDispatcherDialect(new ConfigurationBuilder().Build());
        using var provider = services.BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DispatcherOptions>>().Value);

        Assert.Contains("MIN_TASK_TIMEOUT_MS (9000) must not be above MAX_TASK_TIMEOUT_MS (8000)", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_BadVariable_ServesWithTheDefault()
    {
        await using var server = await DialectServer.StartAsync(new Dictionary<string, string?> { ["MAX_QUEUE_LENGTH"] = "many" });
        await using var worker = await server.ConnectAsync("other");

        Assert.Equal(200, (await server.PostAsync("""{"data":1,"group":"x","async":true}""")).Status);
    }

    private static (DispatcherOptions Options, List<string> Warnings) Load(
        IReadOnlyDictionary<string, string?> environment, IReadOnlyDictionary<string, string?>? configuration = null)
    {
        var section = new ConfigurationBuilder().AddInMemoryCollection(configuration ?? new Dictionary<string, string?>()).Build()
            .GetSection(DispatcherOptions.Section);
        var logger = new ListLogger();
        var options = new DispatcherOptions();
        new DispatcherOptionsSetup(section, EnvironmentVariables.From(environment), logger).Configure(options);
        return (options, logger.Warnings);
    }

    private sealed class ListLogger : ILogger<DispatcherOptionsSetup>
    {
        public List<string> Warnings { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                Warnings.Add(formatter(state, exception));
            }
        }
    }
}
