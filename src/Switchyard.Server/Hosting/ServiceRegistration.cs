using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Switchyard.Client.Contracts;
using Switchyard.Core.Cluster;
using Switchyard.Core.Dispatch;
using Switchyard.Core.Engine;
using Switchyard.Core.Events;
using Switchyard.Core.Maintenance;
using Switchyard.Core.Queues;
using Switchyard.Core.Scheduling;
using Switchyard.Core.Storage;
using Switchyard.Core.Types;
using Switchyard.Server.Security;
using Switchyard.Server.TaskTypes;
using Switchyard.Storage.Postgres;
using Switchyard.Storage.Postgres.Cluster;
using Switchyard.Storage.Sqlite;

namespace Switchyard.Server.Hosting;

/// <summary>The services of a Switchyard node.</summary>
public static class ServiceRegistration
{
    public static IServiceCollection AddSwitchyard(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.Configure<ServerOptions>(configuration.GetSection(ServerOptions.Section));
        services.Configure<EngineOptions>(configuration.GetSection(EngineOptions.Section));
        services.Configure<MaintenanceOptions>(configuration.GetSection(MaintenanceOptions.Section));
        services.Configure<SecurityOptions>(configuration.GetSection(SecurityOptions.Section));
        services.AddSingleton<ApiKeys>();
        Check<MaintenanceOptions>(services, MaintenanceOptions.Section, o => o.Validate());

        services.AddSingleton<ServerState>();
        services.Configure<EventBusOptions>(configuration.GetSection(EventBusOptions.Section));
        services.AddSingleton<TaskEventHub>();
        services.AddHostedService<EventBusWatchdog>();
        services.AddSingleton<PrometheusMetrics>();
        services.AddSingleton<ServerMetrics>();
        var server = configuration.GetSection(ServerOptions.Section).Get<ServerOptions>() ?? new ServerOptions();
        ThrowIfInvalid(server.Validate());
        if (server.StoreKind == ServerOptions.PostgresStore)
        {
            AddPostgresStore(services, configuration);
        }
        else
        {
            AddSqliteStore(services, configuration);
        }
        services.AddSingleton<ClaimHolds>();
        services.AddSingleton<TaskTypeRegistry>();
        services.AddSingleton(sp => new TaskAdmission(sp.GetRequiredService<TaskTypeRegistry>()));
        services.AddSingleton<TaskTypeCatalog>();
        services.AddSingleton<QueueControls>();
        services.AddSingleton<ControlsReload>();
        services.AddSingleton<IClusterCache>(sp => sp.GetRequiredService<TaskTypeCatalog>());
        services.AddSingleton<IClusterCache>(sp => sp.GetRequiredService<QueueControls>());
        services.Configure<TaskTypesOptions>(configuration.GetSection(TaskTypesOptions.Section));
        services.AddSingleton<TaskBroker>();
        services.AddHostedService<HeldWorkWaker>();
        services.AddHostedService<LeaseRescuer>();
        services.AddHostedService<SchedulePromoter>();
        services.AddHostedService<DeadlineEnforcer>();
        services.AddHostedService<RetentionCleaner>();
        services.Configure<ScheduleRunnerOptions>(configuration.GetSection(ScheduleRunnerOptions.Section));
        Check<ScheduleRunnerOptions>(services, ScheduleRunnerOptions.Section, o => o.Validate());
        services.AddSingleton<ScheduleBroker>();
        services.AddHostedService<ScheduleRunner>();
        services.Configure<SystemTasks.SystemTaskOptions>(configuration.GetSection(SystemTasks.SystemTaskOptions.Section));
        services.AddHostedService<SystemTasks.SystemTaskRunner>();
        services.Configure<DispatchOptions>(configuration.GetSection(DispatchOptions.Section));
        services.AddSingleton<ProgressFeed>();
        services.AddSingleton<PushDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<PushDispatcher>());
        services.AddSingleton<WorkerDirectory>();
        services.AddSingleton<IWorkerDirectory>(sp => sp.GetRequiredService<WorkerDirectory>());
        Dialects.OpenAi.OpenAiRegistration.AddOpenAiDialect(services, configuration);
        Dialects.Dispatcher.DispatcherDialect.AddDispatcherDialect(services, configuration);

        services.ConfigureHttpJsonOptions(o => Configure(o));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddOpenApi();
        return services;
    }

    /// <summary>The embedded store: one SQLite file in <c>Server:DataDirectory</c>, settings from <c>Sqlite</c>.</summary>
    private static void AddSqliteStore(IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SqliteStoreOptions>(configuration.GetSection(SqliteStoreOptions.Section));
        Check<SqliteStoreOptions>(services, SqliteStoreOptions.Section, o => o.Validate());
        services.PostConfigure<SqliteStoreOptions>(o =>
            o.DataDirectory = configuration[$"{ServerOptions.Section}:{nameof(ServerOptions.DataDirectory)}"] ?? o.DataDirectory);
        services.AddSingleton(sp => new SqliteDatabase(sp.GetRequiredService<IOptions<SqliteStoreOptions>>().Value));
        AddStore<SqliteTaskStore, SqliteTaskQueries>(services);
        services.AddSingleton(sp => new StoreInfo(ServerOptions.SqliteStore, sp.GetRequiredService<IOptions<SqliteStoreOptions>>().Value.DatabasePath));
        services.AddSingleton<IClusterBus>(SingleNodeBus.Instance);
        services.AddSingleton<ILeadership>(SoleLeader.Instance);
    }

    /// <summary>The shared store: a schema in a PostgreSQL database that several nodes may use at once, settings from <c>Postgres</c>.</summary>
    private static void AddPostgresStore(IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(PostgresStoreOptions.Section).Get<PostgresStoreOptions>() ?? new PostgresStoreOptions();
        ThrowIfInvalid(options.Validate());
        services.AddSingleton(options);
        services.AddSingleton(sp => new PostgresDatabase(sp.GetRequiredService<PostgresStoreOptions>()));
        AddStore<PostgresTaskStore, PostgresTaskQueries>(services);
        services.AddSingleton(new StoreInfo(ServerOptions.PostgresStore, DescribePostgres(options)));
        AddCluster(services, configuration);
    }

    /// <summary>
    /// What makes nodes on one PostgreSQL schema one server: the bus the store announces moves on, the listener that
    /// hands them to this node's inbox (with the polling fallback), leader election for the singleton jobs, and each
    /// node's heartbeat and push workers, so that every node knows the workers connected to the others, and the leader
    /// that folds the queue counts the store's triggers keep.
    /// </summary>
    private static void AddCluster(IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ClusterOptions>(configuration.GetSection(ClusterOptions.Section));
        services.AddSingleton<PgClusterBus>();
        services.AddSingleton<IClusterBus>(sp => sp.GetRequiredService<PgClusterBus>());
        services.AddSingleton<ClusterInbox>();
        services.AddSingleton<PgListener>();
        services.AddHostedService(sp => sp.GetRequiredService<PgListener>());
        services.AddSingleton<PgLeadership>();
        services.AddSingleton<ILeadership>(sp => sp.GetRequiredService<PgLeadership>());
        services.AddHostedService(sp => sp.GetRequiredService<PgLeadership>());
        services.AddSingleton<PgRemoteWorkers>();
        services.AddSingleton<IClusterCache>(sp => sp.GetRequiredService<PgRemoteWorkers>());
        services.AddHostedService<PgWorkerPresence>();
        services.AddHostedService<PgTableUpkeep>();
    }

    /// <summary>One store object behind every store contract the server resolves, and its queries.</summary>
    private static void AddStore<TStore, TQueries>(IServiceCollection services)
        where TStore : class, ITaskStore, IScheduleStore, IStoreMaintenance, IControlStore
        where TQueries : class, ITaskQueries
    {
        services.AddSingleton<TStore>();
        services.AddSingleton<ITaskStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IScheduleStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IStoreMaintenance>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IControlStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<ITaskQueries, TQueries>();
    }

    internal static string DescribePostgres(PostgresStoreOptions options)
    {
        try
        {
            var where = new NpgsqlConnectionStringBuilder(options.ConnectionString);
            var database = string.IsNullOrEmpty(where.Database) ? "the user's database" : $"database {where.Database}";
            var durability = options.Durability == Durability.Process ? ", durability process (synchronous_commit=off)" : string.Empty;
            return $"schema {options.Schema} of {database} on {where.Host}:{where.Port}{durability}";
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"Postgres:ConnectionString is not a valid connection string: {Explain(ex)}", ex);
        }
    }

    /// <summary>What Npgsql found wrong with a connection string, without .NET's parameter notes.</summary>
    private static string Explain(ArgumentException ex) => ex.InnerException switch
    {
        KeyNotFoundException => $"'{ex.ParamName}' is not a setting Npgsql knows",
        ArgumentException inner => $"{ex.ParamName}: {Plain(inner)}",
        { } inner => $"{ex.ParamName}: {inner.Message}",
        null => Plain(ex),
    };

    private static string Plain(ArgumentException ex) =>
        ex.Message.Split('\n')[0].Replace($" (Parameter '{ex.ParamName}')", string.Empty, StringComparison.Ordinal);

    /// <summary>Refuses <typeparamref name="T"/> at start with each problem <paramref name="check"/> finds, named by section and setting.</summary>
    internal static void Check<T>(IServiceCollection services, string section, Func<T, IReadOnlyList<string>> check)
        where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(new SectionValidator<T>(section, check));
        services.AddOptions<T>().ValidateOnStart();
    }

    private static void ThrowIfInvalid(IReadOnlyList<string> problems)
    {
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", problems));
        }
    }

    private static JsonOptions Configure(JsonOptions options)
    {
        options.SerializerOptions.TypeInfoResolverChain.Insert(0, ContractsJsonContext.Default);
        options.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.SerializerOptions.Encoder = ContractsJsonContext.Wire.Options.Encoder;
        return options;
    }
}
