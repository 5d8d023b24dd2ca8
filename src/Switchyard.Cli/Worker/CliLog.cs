using System.Globalization;

namespace Switchyard.Cli.Worker;

/// <summary>One timestamped line on a log writer (stderr), as every worker mode writes them.</summary>
internal static class CliLog
{
    private static readonly Lock Gate = new();

    public static void Line(TextWriter writer, TimeProvider time, string message)
    {
        var stamp = time.GetUtcNow().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
        lock (Gate)
        {
            writer.WriteLine($"{stamp} {message}");
            writer.Flush();
        }
    }
}
