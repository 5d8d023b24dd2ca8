using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Switchyard.Server.Security;

/// <summary>
/// The configured API keys, held as SHA-256 hashes. A presented key is hashed and compared with each in constant
/// time; the key itself is never logged or echoed.
/// </summary>
internal sealed class ApiKeys(IOptions<SecurityOptions> options)
{
    private readonly KeyValuePair<string, byte[]>[] _hashes = options.Value.ApiKeys
        .Select(kv => KeyValuePair.Create(kv.Key, Convert.FromHexString(kv.Value)))
        .ToArray();

    /// <summary>Whether keys are configured (then every request but the health probes needs one).</summary>
    public bool Enabled => _hashes.Length > 0;

    /// <summary>The name of the key <paramref name="presented"/> is, or null when it is none of them (or null).</summary>
    public string? Find(string? presented)
    {
        if (presented is null)
        {
            return null;
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        foreach (var (name, expected) in _hashes)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, expected))
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>How a key is written in <c>Security:ApiKeys</c>: its SHA-256 hash, lower-case hex.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
