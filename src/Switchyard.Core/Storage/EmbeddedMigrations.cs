using System.Globalization;
using System.Reflection;

namespace Switchyard.Core.Storage;

/// <summary>A store's numbered SQL migrations, embedded as <c>Migrations/NNNN_name.sql</c> resources, in version order.</summary>
public static class EmbeddedMigrations
{
    public static IReadOnlyList<(int Version, string Name, string Sql)> Load(Assembly assembly, string resourcePrefix) =>
        assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(resourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var name = n[resourcePrefix.Length..^4];
                var version = int.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var text = new StreamReader(stream);
                return (version, name, text.ReadToEnd());
            })
            .OrderBy(m => m.version)
            .ToArray();
}
