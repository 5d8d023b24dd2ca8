using System.Text.Json.Nodes;

namespace Switchyard.Worker.Handlers;

/// <summary>What <c>analysis.scan</c> counted: totals, per language, and what it skipped.</summary>
internal sealed class AnalysisTally
{
    private readonly Dictionary<string, (long Files, long Lines, long Bytes)> _languages = new(StringComparer.Ordinal);

    public long Files { get; private set; }

    public long Lines { get; private set; }

    public long Bytes { get; private set; }

    public long Binary { get; set; }

    public long TooLarge { get; set; }

    public long Links { get; set; }

    public long SkippedFolders { get; set; }

    public bool Truncated { get; set; }

    public void Add(string language, long lines, long bytes)
    {
        var (files, l, b) = _languages.GetValueOrDefault(language);
        _languages[language] = (files + 1, l + lines, b + bytes);
        Files++;
        Lines += lines;
        Bytes += bytes;
    }

    public JsonObject ToJson(string path)
    {
        var languages = new JsonArray();
        foreach (var (language, (files, lines, bytes)) in _languages.OrderByDescending(l => l.Value.Lines).ThenBy(l => l.Key, StringComparer.Ordinal))
        {
            languages.Add(new JsonObject { ["language"] = language, ["files"] = files, ["lines"] = lines, ["bytes"] = bytes });
        }

        return new JsonObject
        {
            ["path"] = path,
            ["files"] = Files,
            ["lines"] = Lines,
            ["bytes"] = Bytes,
            ["languages"] = languages,
            ["skipped"] = new JsonObject { ["binary"] = Binary, ["tooLarge"] = TooLarge, ["symlinks"] = Links, ["folders"] = SkippedFolders },
            ["truncated"] = Truncated,
        };
    }
}
