namespace Switchyard.Core.Model;

/// <summary>Stable wire names of <see cref="ErrorKind"/>.</summary>
public static class ErrorKinds
{
    public static string ToName(this ErrorKind kind) => kind switch
    {
        ErrorKind.Retryable => "retryable",
        ErrorKind.Fatal => "fatal",
        ErrorKind.UserActionable => "user_actionable",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static bool TryParse(string? name, out ErrorKind kind)
    {
        switch (name)
        {
            case "retryable": kind = ErrorKind.Retryable; return true;
            case "fatal": kind = ErrorKind.Fatal; return true;
            case "user_actionable": kind = ErrorKind.UserActionable; return true;
            default: kind = default; return false;
        }
    }
}
