using System.Text;
using System.Text.RegularExpressions;

namespace Switchyard.Worker.Handlers;

/// <summary>
/// A file pattern: <c>*</c> any characters but <c>/</c>, <c>**</c> any characters, <c>?</c> one character. A pattern
/// without <c>/</c> matches an entry's name, one with <c>/</c> its path relative to the scanned folder.
/// </summary>
internal sealed class Glob
{
    private readonly Regex _regex;
    private readonly bool _byPath;

    private Glob(Regex regex, bool byPath)
    {
        _regex = regex;
        _byPath = byPath;
    }

    public static Glob Parse(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                var slash = i + 2 < pattern.Length && pattern[i + 2] == '/';
                regex.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else
            {
                regex.Append(c switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    _ => Regex.Escape(c.ToString()),
                });
            }
        }

        regex.Append('$');
        return new Glob(new Regex(regex.ToString(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)), pattern.Contains('/', StringComparison.Ordinal));
    }

    /// <param name="relativePath">The entry's path from the scanned folder, with <c>/</c> between names.</param>
    public bool Matches(string relativePath) =>
        _regex.IsMatch(_byPath ? relativePath : relativePath[(relativePath.LastIndexOf('/') + 1)..]);
}
