namespace Switchyard.Worker.Handlers;

/// <summary>The <c>encoding</c> field of the file handlers: <c>text</c> (UTF-8, the default) or <c>base64</c>.</summary>
internal static class FileEncodings
{
    public static bool IsBase64(string type, string? encoding) => encoding switch
    {
        null or "text" or "utf-8" or "utf8" => false,
        "base64" => true,
        _ => throw FileFailures.Invalid(type, $"encoding must be text or base64, not '{encoding}'"),
    };
}
