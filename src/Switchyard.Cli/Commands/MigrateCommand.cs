using System.CommandLine;
using System.Text.Json.Nodes;
using Switchyard.Server.Hosting;

namespace Switchyard.Cli.Commands;

/// <summary><c>switchyard migrate</c>: applies the store's numbered migrations and exits, printing the schema version (with <c>--json</c>, as one object).</summary>
internal static class MigrateCommand
{
    public static Command Build(Option<bool> json)
    {
        var store = StoreOptions.Store();
        var postgres = StoreOptions.Postgres();
        var schema = StoreOptions.Schema();
        var data = new Option<string?>("--data", "-d") { Description = $"Data directory of the SQLite store (default ./{ServerOptions.DefaultDataDirectory}; env SWITCHYARD_DATA)" };
        var config = new Option<string?>("--config", "-c") { Description = "JSON settings file (env SWITCHYARD_CONFIG)" };
        var command = new Command("migrate", "Apply the store's migrations (a server also does at start) and print the schema version.")
        {
            store, postgres, schema, data, config,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var report = await StoreMigration.RunAsync(new Dictionary<string, string?>
                {
                    ["Server:Store"] = parse.GetValue(store),
                    ["Postgres:ConnectionString"] = parse.GetValue(postgres),
                    ["Postgres:Schema"] = parse.GetValue(schema),
                    ["Server:DataDirectory"] = parse.GetValue(data),
                    ["Config"] = parse.GetValue(config),
                }, cancellationToken);
                foreach (var ignored in report.Ignored)
                {
                    await parse.InvocationConfiguration.Error.WriteLineAsync($"switchyard: warning: {ignored}");
                }

                await parse.InvocationConfiguration.Output.WriteLineAsync(parse.GetValue(json)
                    ? new JsonObject
                    {
                        ["store"] = report.Store,
                        ["location"] = report.Location,
                        ["version"] = report.Version,
                        ["applied"] = report.Applied,
                    }.ToJsonString()
                    : $"{report.Store} store, {report.Location}: schema version {report.Version} ({report.Applied} migrations applied now)");
                return ExitCodes.Ok;
            }
            catch (InvalidOperationException ex)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"switchyard: {SettingErrors.Describe(ex)}");
                return ExitCodes.Usage;
            }
        });
        return command;
    }
}
