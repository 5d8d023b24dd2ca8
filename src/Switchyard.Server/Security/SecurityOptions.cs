namespace Switchyard.Server.Security;

/// <summary>API keys, stored as SHA-256 hashes; bound from the <c>Security</c> configuration section.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>Accepted keys: name → lowercase hex SHA-256 of the key (see <c>switchyard keys hash</c>).</summary>
    public Dictionary<string, string> ApiKeys { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Names of keys with admin rights (for example, forcing a review decision). Without keys every caller is admin.</summary>
    public List<string> AdminKeys { get; init; } = [];

    public bool Enabled => ApiKeys.Count > 0;

    public bool IsAdmin(string actor) => !Enabled || AdminKeys.Contains(actor, StringComparer.Ordinal);
}
