namespace Switchyard.Worker;

/// <summary>The server refused this worker for good (wrong API key, an invalid hello); reconnecting would not help.</summary>
public sealed class SwitchyardWorkerException : Exception
{
    public SwitchyardWorkerException()
    {
    }

    public SwitchyardWorkerException(string message)
        : base(message)
    {
    }

    public SwitchyardWorkerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
