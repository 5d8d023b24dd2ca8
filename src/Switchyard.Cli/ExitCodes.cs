namespace Switchyard.Cli;

/// <summary>What <c>switchyard</c> exits with, so scripts can tell failures apart.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The server refused the request (the problem's code and detail go to stderr).</summary>
    public const int ServerError = 1;

    /// <summary>The command line or its input (payload JSON, file) is not usable.</summary>
    public const int Usage = 2;

    /// <summary>The server could not be reached or did not answer in time.</summary>
    public const int Unreachable = 3;

    /// <summary>The waited-for task failed.</summary>
    public const int TaskFailed = 4;

    /// <summary>The waited-for task was cancelled.</summary>
    public const int TaskCancelled = 5;

    /// <summary>The wait ended before the task settled.</summary>
    public const int NotSettled = 6;

    /// <summary>Interrupted by Ctrl+C or SIGTERM.</summary>
    public const int Interrupted = 130;
}
