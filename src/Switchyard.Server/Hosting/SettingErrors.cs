using System.Text.RegularExpressions;

namespace Switchyard.Server.Hosting;

/// <summary>Says a start-up refusal in the settings' terms: the configuration binder's own words name .NET types.</summary>
public static partial class SettingErrors
{
    /// <summary>
    /// The message of <paramref name="refused"/>; one from the configuration binder (<c>Failed to convert configuration
    /// value 'fast' at 'Sqlite:Durability' to type 'Switchyard.Core.Storage.Durability'</c>) as what the setting takes
    /// (<c>Sqlite:Durability takes fsync or process, not 'fast'</c>).
    /// </summary>
    public static string Describe(InvalidOperationException refused)
    {
        ArgumentNullException.ThrowIfNull(refused);
        if (NotConverted().Match(refused.Message) is not { Success: true } match)
        {
            return refused.Message;
        }

        var (value, setting, type) = (match.Groups["value"].Value, match.Groups["setting"].Value, match.Groups["type"].Value);
        var takes = type switch
        {
            "System.Int32" or "System.Int64" or "System.Nullable`1[[System.Int32" or "System.Nullable`1[[System.Int64" => "a whole number",
            "System.Boolean" => "true or false",
            "System.Double" => "a number",
            _ when Enum(type) is { } names => string.Join(" or ", names),
            _ => null,
        };
        return takes is null ? refused.Message : $"{setting} takes {takes}, not '{value}'";
    }

    private static string[]? Enum(string typeName) =>
        AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(typeName)).FirstOrDefault(t => t is { IsEnum: true }) is { } type
            ? System.Enum.GetNames(type).Select(n => n.ToLowerInvariant()).ToArray()
            : null;

    [GeneratedRegex(@"^Failed to convert configuration value '(?<value>.*)' at '(?<setting>[^']*)' to type '(?<type>[^',\]]*)")]
    private static partial Regex NotConverted();
}
