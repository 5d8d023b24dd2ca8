namespace Switchyard.Tests;

/// <summary>A thread-safe <see cref="StringWriter"/> that lets a test await the first line containing some text.</summary>
public sealed class SignalWriter : StringWriter
{
    private readonly Lock _gate = new();
    private readonly List<(string Fragment, TaskCompletionSource<string> Seen)> _waiters = [];

    public Task<string> WaitForLineAsync(string fragment)
    {
        lock (_gate)
        {
            var line = ToString().Split('\n').FirstOrDefault(l => l.Contains(fragment, StringComparison.Ordinal));
            if (line is not null)
            {
                return Task.FromResult(line);
            }

            var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((fragment, seen));
            return seen.Task;
        }
    }

    public override void Write(char value)
    {
        lock (_gate)
        {
            base.Write(value);
        }
    }

    public override void Write(string? value)
    {
        lock (_gate)
        {
            base.Write(value);
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_gate)
        {
            base.WriteLine(value);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (value?.Contains(_waiters[i].Fragment, StringComparison.Ordinal) == true)
                {
                    _waiters[i].Seen.TrySetResult(value);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return base.ToString();
        }
    }
}
