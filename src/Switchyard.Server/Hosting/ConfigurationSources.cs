using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Switchyard.Client.Contracts;

namespace Switchyard.Server.Hosting;

/// <summary>Where settings come from, later winning: the <c>SWITCHYARD_CONFIG</c> file, <c>SWITCHYARD_*</c> variables, explicit overrides.</summary>
public static class ConfigurationSources
{
    public const string EnvironmentPrefix = "SWITCHYARD_";
    public const string ConfigFileVariable = "SWITCHYARD_CONFIG";

    /// <summary>Shorthand variables and the settings they stand for (durability is each store's own setting).</summary>
    public static IReadOnlyDictionary<string, string[]> Shorthands { get; } = new Dictionary<string, string[]>
    {
        ["SWITCHYARD_HOST"] = ["Server:Host"],
        ["SWITCHYARD_PORT"] = ["Server:Port"],
        ["SWITCHYARD_DATA"] = ["Server:DataDirectory"],
        ["SWITCHYARD_DURABILITY"] = ["Sqlite:Durability", "Postgres:Durability"],
        ["SWITCHYARD_STORE"] = ["Server:Store"],
        ["SWITCHYARD_POSTGRES"] = ["Postgres:ConnectionString"],
    };

    public static void Add(IConfigurationBuilder configuration, IReadOnlyDictionary<string, string?>? overrides)
    {
        var file = overrides?.GetValueOrDefault("Config") ?? Environment.GetEnvironmentVariable(ConfigFileVariable);
        if (!string.IsNullOrEmpty(file))
        {
            var path = Path.GetFullPath(file);
            try
            {
                configuration.AddJsonFile(path, optional: false, reloadOnChange: false); // a ConfigurationManager reads it here
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException)
            {
                var cause = ex;
                while (cause.InnerException is { } inner)
                {
                    cause = inner; // the JSON reader's, which says where it stopped
                }

                var what = cause is JsonException json ? ContractJsonErrors.Syntax(json) : cause.Message;
                throw new InvalidOperationException($"Could not read the configuration file {path}: {what}", ex);
            }
        }

        configuration.AddEnvironmentVariables(EnvironmentPrefix);
        var shorthands = new Dictionary<string, string?>();
        foreach (var (variable, keys) in Shorthands)
        {
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value)
            {
                foreach (var key in keys)
                {
                    shorthands[key] = value;
                }
            }
        }

        configuration.AddInMemoryCollection(shorthands);
        if (overrides is not null)
        {
            configuration.AddInMemoryCollection(overrides.Where(kv => kv.Value is not null));
        }
    }
}
