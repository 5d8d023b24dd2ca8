using System.Text;
using Switchyard.Core.Model;

namespace Switchyard.Worker.Handlers;

/// <summary>Reads answer bodies as text, up to a size a result can carry.</summary>
internal static class HttpBodies
{
    /// <summary>The body as text (in its charset, UTF-8 by default); past <paramref name="maxChars"/> the task fails (fatal <c>response_too_large</c>).</summary>
    public static async Task<string> ReadTextAsync(HttpContent content, int maxChars, CancellationToken cancellationToken)
    {
        var encoding = Encoding.UTF8;
        if (content.Headers.ContentType?.CharSet is { Length: > 0 } charset)
        {
            try
            {
                encoding = Encoding.GetEncoding(charset.Trim('"'));
            }
            catch (ArgumentException)
            {
                // An unknown charset: read it as UTF-8.
            }
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: true);
        var text = new StringBuilder();
        var buffer = new char[16 * 1024];
        int read;
        while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (text.Length + read > maxChars)
            {
                throw new TaskFailedException("response_too_large", $"The answer is longer than {maxChars} characters, more than a result holds.", ErrorKind.Fatal);
            }

            text.Append(buffer, 0, read);
        }

        return text.ToString();
    }

    /// <summary>Whether a media type is JSON (<c>application/json</c>, <c>application/problem+json</c>...).</summary>
    public static bool IsJson(string? mediaType) =>
        mediaType is not null && (mediaType.EndsWith("/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
}
