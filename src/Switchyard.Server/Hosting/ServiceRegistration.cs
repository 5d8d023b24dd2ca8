using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Switchyard.Client.Contracts;
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
        services.Configure<SqliteStoreOptions>(configuration.GetSection(SqliteStoreOptions.Section));
        services.PostConfigure<SqliteStoreOptions>(o =>
            o.DataDirectory = configuration[$"{ServerOptions.Section}:{nameof(ServerOptions.DataDirectory)}"] ?? o.DataDirectory);
        services.AddOptions<MaintenanceOptions>().Validate(o => o.Validate().Count == 0, "Maintenance settings are invalid");

        services.AddSingleton<ServerState>();
        services.Configure<EventBusOptions>(configuration.GetSection(EventBusOptions.Section));
        services.AddSingleton<TaskEventHub>();
        services.AddHostedService<EventBusWatchdog>();
        services.AddSingleton<PrometheusMetrics>();
        services.AddSingleton(sp => new SqliteDatabase(sp.GetRequiredService<IOptions<SqliteStoreOptions>>().Value));
        services.AddSingleton<SqliteTaskStore>();
        services.AddSingleton<ITaskStore>(sp => sp.GetRequiredService<SqliteTaskStore>());
        services.AddSingleton<ITaskQueries, SqliteTaskQueries>();
        services.AddSingleton<IControlStore>(sp => sp.GetRequiredService<SqliteTaskStore>());
        services.AddSingleton<ClaimHolds>();
        services.AddSingleton<TaskTypeRegistry>();
        services.AddSingleton<QueueSettingsView>();
        services.AddSingleton(sp => new TaskAdmission(sp.GetRequiredService<TaskTypeRegistry>(), sp.GetRequiredService<QueueSettingsView>()));
        services.AddSingleton<TaskTypeCatalog>();
        services.AddSingleton<QueueControls>();
        services.Configure<TaskTypesOptions>(configuration.GetSection(TaskTypesOptions.Section));
        services.AddSingleton<TaskBroker>();
        services.AddHostedService<HeldWorkWaker>();
        services.AddHostedService<LeaseRescuer>();
        services.AddHostedService<SchedulePromoter>();
        services.AddHostedService<DeadlineEnforcer>();
        services.AddHostedService<RetentionCleaner>();
        services.Configure<ScheduleRunnerOptions>(configuration.GetSection(ScheduleRunnerOptions.Section));
        services.AddOptions<ScheduleRunnerOptions>().Validate(o => o.Validate().Count == 0, "Schedules settings are invalid");
        services.AddSingleton<IScheduleStore>(sp => sp.GetRequiredService<SqliteTaskStore>());
        services.AddSingleton<ScheduleBroker>();
        services.AddHostedService<ScheduleRunner>();
        services.Configure<SystemTasks.SystemTaskOptions>(configuration.GetSection(SystemTasks.SystemTaskOptions.Section));
        services.AddSingleton<IStoreMaintenance>(sp => sp.GetRequiredService<SqliteTaskStore>());
        services.AddHostedService<SystemTasks.SystemTaskRunner>();
        services.Configure<DispatchOptions>(configuration.GetSection(DispatchOptions.Section));
        services.AddSingleton<ProgressFeed>();
        services.AddSingleton<PushDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<PushDispatcher>());
        Dialects.OpenAi.OpenAiRegistration.AddOpenAiDialect(services, configuration);
        Dialects.Dispatcher.DispatcherDialect.AddDispatcherDialect(services, configuration);

        services.ConfigureHttpJsonOptions(o => Configure(o));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddOpenApi();
        return services;
    }

    private static JsonOptions Configure(JsonOptions options)
    {
        options.SerializerOptions.TypeInfoResolverChain.Insert(0, ContractsJsonContext.Default);
        options.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        return options;
    }
}
