namespace Switchyard.Core.Model;

/// <summary>
/// Text that reaches storage as it was given: reasons, feedback, error messages, names. PostgreSQL's text cannot hold
/// the NUL character (U+0000), so the same text must not depend on the store: free text keeps everything else and
/// reads NUL back as U+FFFD in every store (<see cref="Clean"/>); a value that is looked up or matched (a correlation
/// id, an idempotency key, a label value, a name) is refused with it instead (<see cref="HasNul"/>).
/// </summary>
public static class FreeText
{
    public const string NulRule = "must not contain the NUL character (U+0000)";

    /// <summary><paramref name="text"/> with each NUL character replaced by U+FFFD (the text itself when it has none).</summary>
    public static string? Clean(string? text) =>
        text is null || !text.Contains('\0', StringComparison.Ordinal) ? text : text.Replace('\0', '\uFFFD');

    public static bool HasNul(string? text) => text is not null && text.Contains('\0', StringComparison.Ordinal);
}
