namespace Switchyard.Bench;

/// <summary>
/// Server settings for A/B runs without a rebuild: <c>BENCH_SETTINGS="Sqlite:CheckpointFrames=0;Server:X=y"</c>, applied
/// over the bench's own to every server it starts and, where they apply, to the store-only bench.
/// </summary>
internal static class BenchSettings
{
    public static IReadOnlyDictionary<string, string> FromEnvironment()
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in (Environment.GetEnvironmentVariable("BENCH_SETTINGS") ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals < 1)
            {
                throw new InvalidOperationException($"BENCH_SETTINGS: '{pair}' is not key=value");
            }

            settings[pair[..equals].Trim()] = pair[(equals + 1)..].Trim();
        }

        return settings;
    }

    /// <summary>An integer setting given in <c>BENCH_SETTINGS</c>, or null.</summary>
    public static int? Int(string key) =>
        FromEnvironment().TryGetValue(key, out var value) ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : null;
}
