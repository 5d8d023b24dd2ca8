using System.Text;

namespace Switchyard.Worker.Handlers;

/// <summary>
/// Drains a child's output stream in the background without ever blocking the child, keeping either the first
/// <c>maxChars</c> characters (<see cref="Head"/>) or the last (<see cref="Tail"/>).
/// </summary>
internal sealed class CappedOutput
{
    private readonly StringBuilder _text = new();
    private readonly Lock _gate = new();
    private readonly int _maxChars;
    private readonly bool _keepTail;

    private CappedOutput(int maxChars, bool keepTail)
    {
        _maxChars = maxChars;
        _keepTail = keepTail;
    }

    /// <summary>Whether some output was dropped.</summary>
    public bool Truncated { get; private set; }

    public Task Completion { get; private set; } = Task.CompletedTask;

    public static CappedOutput Head(StreamReader reader, int maxChars) => Start(new CappedOutput(maxChars, keepTail: false), reader);

    public static CappedOutput Tail(StreamReader reader, int maxChars) => Start(new CappedOutput(maxChars, keepTail: true), reader);

    public override string ToString()
    {
        lock (_gate)
        {
            return _text.ToString();
        }
    }

    private static CappedOutput Start(CappedOutput output, StreamReader reader)
    {
        output.Completion = Task.Run(() => output.DrainAsync(reader));
        return output;
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
        if (!_keepTail)
        {
            var room = _maxChars - _text.Length;
            Truncated |= text.Length > room;
            _text.Append(text[..Math.Min(room, text.Length)]);
            return;
        }

        _text.Append(text);
        if (_text.Length > _maxChars)
        {
            Truncated = true;
            _text.Remove(0, _text.Length - _maxChars);
        }
    }

    /// <summary>The last <paramref name="lines"/> lines kept by a tail buffer ("..." first when earlier output was dropped).</summary>
    public string LastLines(int lines)
    {
        var all = ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        var tail = string.Join('\n', all.TakeLast(Math.Max(1, lines))).Trim();
        return Truncated && all.Length <= lines ? "..." + tail : tail;
    }
}
