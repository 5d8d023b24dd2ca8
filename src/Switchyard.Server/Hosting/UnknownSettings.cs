using System.Reflection;
using Microsoft.Extensions.Configuration;
using Switchyard.Core.Cluster;
using Switchyard.Core.Dispatch;
using Switchyard.Core.Engine;
using Switchyard.Core.Events;
using Switchyard.Core.Maintenance;
using Switchyard.Server.Dialects.Dispatcher;
using Switchyard.Server.Dialects.OpenAi;
using Switchyard.Server.Security;
using Switchyard.Server.SystemTasks;
using Switchyard.Server.TaskTypes;
using Switchyard.Storage.Postgres;
using Switchyard.Storage.Sqlite;

namespace Switchyard.Server.Hosting;

/// <summary>
/// Settings given in a section that no part of the server reads: a misspelt key (<c>Server:Prot</c>) or section
/// (<c>Sqllite</c>) would otherwise be ignored without a word and the default used. Only sections are checked: a value
/// at the root is one of the <c>SWITCHYARD_*</c> shorthands or a variable of the CLI or a worker, read elsewhere.
/// </summary>
internal static class UnknownSettings
{
    private static readonly Dictionary<string, Type> Sections = new(StringComparer.OrdinalIgnoreCase)
    {
        [ServerOptions.Section] = typeof(ServerOptions),
        [SqliteStoreOptions.Section] = typeof(SqliteStoreOptions),
        [PostgresStoreOptions.Section] = typeof(PostgresStoreOptions),
        [ClusterOptions.Section] = typeof(ClusterOptions),
        [DispatchOptions.Section] = typeof(DispatchOptions),
        [EngineOptions.Section] = typeof(EngineOptions),
        [TaskTypesOptions.Section] = typeof(TaskTypesOptions),
        [MaintenanceOptions.Section] = typeof(MaintenanceOptions),
        [EventBusOptions.Section] = typeof(EventBusOptions),
        [ScheduleRunnerOptions.Section] = typeof(ScheduleRunnerOptions),
        [SystemTaskOptions.Section] = typeof(SystemTaskOptions),
        [DispatcherOptions.Section] = typeof(DispatcherOptions),
        [OpenAiOptions.Section] = typeof(OpenAiOptions),
        [SecurityOptions.Section] = typeof(SecurityOptions),
    };

    /// <summary>Sections whose keys are not fixed.</summary>
    private static readonly HashSet<string> OpenSections = new(["Logging"], StringComparer.OrdinalIgnoreCase);

    /// <summary>One line per setting no section takes, saying what the section does take.</summary>
    public static IReadOnlyList<string> Find(IConfiguration configuration)
    {
        var found = new List<string>();
        foreach (var section in configuration.GetChildren().Where(s => s.GetChildren().Any()))
        {
            if (OpenSections.Contains(section.Key))
            {
                continue;
            }

            if (!Sections.TryGetValue(section.Key, out var type))
            {
                found.Add($"'{section.Key}' is not a section of Switchyard's settings (ignored); the sections are " +
                    string.Join(", ", Sections.Keys.Concat(OpenSections).Order(StringComparer.Ordinal)));
                continue;
            }

            var known = Keys(type);
            foreach (var key in section.GetChildren().Select(c => c.Key).Where(k => !known.Contains(k)))
            {
                found.Add($"'{section.Key}:{key}' is not a setting Switchyard reads (ignored); {section.Key} takes " +
                    string.Join(", ", known.Order(StringComparer.Ordinal)));
            }
        }

        return found;
    }

    /// <summary>What the binder fills in: properties it can set, and collections it can add to (not computed ones).</summary>
    private static HashSet<string> Keys(Type options) =>
        options.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } || (p.PropertyType != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(p.PropertyType)))
            .Select(p => p.Name)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
}
