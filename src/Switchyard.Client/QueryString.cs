using System.Text;

namespace Switchyard.Client;

/// <summary>Builds a path with an escaped query string; empty values are left out.</summary>
internal sealed class QueryString(string path)
{
    private readonly StringBuilder _text = new(path);
    private bool _first = !path.Contains('?', StringComparison.Ordinal);

    public QueryString Add(string name, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return this;
        }

        _text.Append(_first ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        _first = false;
        return this;
    }

    public override string ToString() => _text.ToString();
}
