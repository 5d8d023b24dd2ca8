namespace Switchyard.Core.Engine;

/// <summary>What a task id, type, queue, group, scope or label key may look like.</summary>
public static class Names
{
    public const int MaxLength = 200;

    /// <summary>1-200 characters of ASCII letters, digits and <c>. _ - : /</c>, starting with a letter or digit.</summary>
    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength || !char.IsAsciiLetterOrDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-' or ':' or '/'))
            {
                return false;
            }
        }

        return true;
    }

    public const string Rule = "must be 1-200 characters of ASCII letters, digits and . _ - : /, starting with a letter or digit";
}
