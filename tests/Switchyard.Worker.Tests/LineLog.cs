using System.Text;
using System.Text.RegularExpressions;

namespace Switchyard.Worker.Tests;

/// <summary>A thread-safe log writer whose lines a test can await: the first line (from some line on) that matches a pattern.</summary>
public sealed class LineLog : TextWriter
{
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly List<(Regex Pattern, int From, TaskCompletionSource<(Match Match, int Index)> Seen)> _waiters = [];
    private readonly StringBuilder _partial = new();

    public override Encoding Encoding => Encoding.UTF8;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _lines.Count;
            }
        }
    }

    /// <summary>The first line at or after index <paramref name="from"/> matching <paramref name="pattern"/>; its match and index.</summary>
    public Task<(Match Match, int Index)> WaitForAsync(string pattern, int from = 0)
    {
        var regex = new Regex(pattern, RegexOptions.CultureInvariant);
        lock (_gate)
        {
            for (var i = from; i < _lines.Count; i++)
            {
                if (regex.Match(_lines[i]) is { Success: true } match)
                {
                    return Task.FromResult((match, i));
                }
            }

            var seen = new TaskCompletionSource<(Match, int)>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((regex, from, seen));
            return seen.Task;
        }
    }

    public override void Write(char value)
    {
        lock (_gate)
        {
            if (value == '\n')
            {
                Add(_partial.ToString().TrimEnd('\r'));
                _partial.Clear();
            }
            else
            {
                _partial.Append(value);
            }
        }
    }

    public override void Write(string? value)
    {
        foreach (var c in value ?? string.Empty)
        {
            Write(c);
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_gate)
        {
            Write(value);
            Write('\n');
        }
    }

    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return string.Join('\n', _lines) + (_partial.Length > 0 ? "\n" + _partial : string.Empty);
        }
    }

    private void Add(string line)
    {
        _lines.Add(line);
        var index = _lines.Count - 1;
        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            var (pattern, from, seen) = _waiters[i];
            if (index >= from && pattern.Match(line) is { Success: true } match)
            {
                seen.TrySetResult((match, index));
                _waiters.RemoveAt(i);
            }
        }
    }
}
