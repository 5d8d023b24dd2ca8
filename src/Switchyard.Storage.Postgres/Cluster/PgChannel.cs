namespace Switchyard.Storage.Postgres.Cluster;

/// <summary>The notification channel and the advisory lock keys of one schema: nodes on other schemas never hear or block them.</summary>
internal static class PgChannel
{
    /// <summary>The channel of <paramref name="schema"/>: <c>switchyard_</c> and the schema, within PostgreSQL's 63 bytes.</summary>
    public static string For(string schema)
    {
        var name = "switchyard_" + schema.ToLowerInvariant();
        return name.Length <= 63 ? name : name[..54] + "_" + SchemaKey(schema).ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A stable 32-bit number for <paramref name="schema"/>: the first key of its advisory locks.</summary>
    public static int SchemaKey(string schema)
    {
        var hash = 2166136261u; // FNV-1a
        foreach (var c in "switchyard:" + schema)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return unchecked((int)hash);
    }
}
