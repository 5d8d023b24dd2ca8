using System.Text;

namespace Switchyard.Cli.Worker;

/// <summary>
/// Drains a child's output stream in the background: keeps the first <c>maxChars</c> characters (stdout, the result)
/// or only the last <c>tailLines</c> lines (stderr, the failure message), and never blocks the child.
/// </summary>
internal sealed class OutputBuffer
{
    private readonly StringBuilder _text = new();
    private readonly Lock _gate = new();
    private readonly int _maxChars;
    private readonly int _tailLines;

    private OutputBuffer(int maxChars, int tailLines)
    {
        _maxChars = maxChars;
        _tailLines = tailLines;
    }

    public bool Truncated { get; private set; }

    public Task Completion { get; private set; } = Task.CompletedTask;

    public static OutputBuffer Head(StreamReader reader, int maxChars) => Start(new OutputBuffer(maxChars, 0), reader);

    public static OutputBuffer Tail(StreamReader reader, int tailLines, int maxChars) => Start(new OutputBuffer(maxChars, tailLines), reader);

    public override string ToString()
    {
        lock (_gate)
        {
            return _text.ToString();
        }
    }

    private static OutputBuffer Start(OutputBuffer buffer, StreamReader reader)
    {
        buffer.Completion = Task.Run(() => buffer.DrainAsync(reader));
        return buffer;
    }

    private async Task DrainAsync(StreamReader reader)
    {
        var chunk = new char[8192];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(chunk)) > 0)
            {
                lock (_gate)
                {
                    Append(chunk.AsSpan(0, read));
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The child is gone and its pipe with it; keep what arrived.
        }
    }

    private void Append(ReadOnlySpan<char> text)
    {
        if (_tailLines == 0)
        {
            var room = _maxChars - _text.Length;
            Truncated |= text.Length > room;
            _text.Append(text[..Math.Min(room, text.Length)]);
            return;
        }

        _text.Append(text);
        if (_text.Length > 4 * _maxChars)
        {
            _text.Remove(0, _text.Length - _maxChars);
        }
    }

    /// <summary>The last lines kept by a tail buffer, at most <c>maxChars</c> long.</summary>
    public string LastLines()
    {
        var lines = ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        var tail = string.Join('\n', lines.TakeLast(Math.Max(1, _tailLines))).Trim();
        return tail.Length > _maxChars ? "..." + tail[^_maxChars..] : tail;
    }
}
