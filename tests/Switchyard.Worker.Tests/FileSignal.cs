namespace Switchyard.Worker.Tests;

/// <summary>Awaits a file's content (through file-system notifications, not polling).</summary>
internal static class FileSignal
{
    public static async Task<string> WaitForContentAsync(string path, TimeSpan bound)
    {
        var changed = new SemaphoreSlim(0);
        using var watcher = new FileSystemWatcher(Path.GetDirectoryName(path)!, Path.GetFileName(path))
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        watcher.Created += (_, _) => changed.Release();
        watcher.Changed += (_, _) => changed.Release();
        watcher.EnableRaisingEvents = true;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(bound);
        while (true)
        {
            if (File.Exists(path) && (await File.ReadAllTextAsync(path, limit.Token)).Trim() is { Length: > 0 } content)
            {
                return content;
            }

            await changed.WaitAsync(limit.Token);
        }
    }

    /// <summary>Whether process <paramref name="pid"/> still runs (a zombie does not).</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z') is false;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
