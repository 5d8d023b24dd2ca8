using System.Text;

namespace Switchyard.Client;

/// <summary>
/// Builds a path with an escaped query string; unset (null) values are left out. An empty value is sent, so that the
/// server refuses it: a filter given as an empty string (a script's unset variable) never silently means "everything".
/// </summary>
internal sealed class QueryString(string path)
{
    private readonly StringBuilder _text = new(path);
    private bool _first = !path.Contains('?', StringComparison.Ordinal);

    public QueryString Add(string name, string? value)
    {
        if (value is null)
        {
            return this;
        }

        _text.Append(_first ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        _first = false;
        return this;
    }

    public override string ToString() => _text.ToString();
}
