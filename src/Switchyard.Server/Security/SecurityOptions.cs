namespace Switchyard.Server.Security;

/// <summary>API keys, stored as SHA-256 hashes; bound from the <c>Security</c> configuration section.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>Accepted keys: name → lowercase hex SHA-256 of the key (<c>printf %s "$KEY" | sha256sum</c>).</summary>
    public Dictionary<string, string> ApiKeys { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Names of keys with admin rights (for example, forcing a review decision). Without keys every caller is admin.</summary>
    public List<string> AdminKeys { get; init; } = [];

    public bool Enabled => ApiKeys.Count > 0;

    public bool IsAdmin(string actor) => !Enabled || AdminKeys.Contains(actor, StringComparer.Ordinal);

    /// <summary>
    /// What is wrong with the keys, one line each: a value that is not a SHA-256 hash in lowercase hex (the key itself,
    /// pasted by mistake, is never repeated), an admin key that names no key.
    /// </summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        foreach (var (name, hash) in ApiKeys)
        {
            if (hash is not { Length: 64 } || !hash.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'))
            {
                problems.Add($"{Section}:ApiKeys:{name} must be the key's SHA-256 hash, 64 lowercase hex characters " +
                             $"(`printf %s \"$KEY\" | sha256sum` prints it), not a value of {hash?.Length ?? 0} characters");
            }
        }

        foreach (var admin in AdminKeys.Where(a => !ApiKeys.ContainsKey(a)))
        {
            problems.Add($"{Section}:AdminKeys names '{admin}', which is not a key of {Section}:ApiKeys");
        }

        return problems;
    }
}
