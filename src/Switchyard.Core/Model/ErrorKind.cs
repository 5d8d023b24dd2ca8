namespace Switchyard.Core.Model;

/// <summary>How a task error is classified (seed 002): whether another attempt may help.</summary>
public enum ErrorKind
{
    Retryable,
    Fatal,
    UserActionable,
}
