namespace Switchyard.Cli;

/// <summary>The command line or its input cannot be used; the message says why and goes to stderr.</summary>
internal sealed class CliUsageException : Exception
{
    public CliUsageException()
    {
    }

    public CliUsageException(string message)
        : base(message)
    {
    }

    public CliUsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>A setting the CLI passed on was refused: its message alone (" (Parameter 'options')" means nothing on a command line).</summary>
    public static CliUsageException From(ArgumentException refused)
    {
        ArgumentNullException.ThrowIfNull(refused);
        var message = refused.ParamName is { } name ? refused.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : refused.Message;
        return new CliUsageException(message, refused);
    }
}
