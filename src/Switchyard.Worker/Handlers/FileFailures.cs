using Switchyard.Core.Model;

namespace Switchyard.Worker.Handlers;

/// <summary>How the file handlers fail: a bad payload or a missing or wrong kind of file is fatal; an I/O error may pass and is retryable.</summary>
internal static class FileFailures
{
    public static TaskFailedException Invalid(string type, string message) => new("invalid_payload", $"{type}: {message}", ErrorKind.Fatal);

    public static TaskFailedException NotFound(string type, string? path) =>
        new("not_found", $"{type}: '{path}' does not exist.", ErrorKind.Fatal);

    public static void RequireFolder(string type, string real, string? asGiven)
    {
        if (Directory.Exists(real))
        {
            return;
        }

        throw File.Exists(real)
            ? new TaskFailedException("not_a_directory", $"{type}: '{asGiven}' is a file, not a folder.", ErrorKind.Fatal)
            : NotFound(type, asGiven);
    }

    public static void RequireFile(string type, string real, string? asGiven)
    {
        if (File.Exists(real))
        {
            return;
        }

        throw Directory.Exists(real)
            ? new TaskFailedException("not_a_file", $"{type}: '{asGiven}' is a folder, not a file.", ErrorKind.Fatal)
            : NotFound(type, asGiven);
    }

    /// <summary>Runs a file operation, turning I/O errors into a retryable <c>io_error</c> (permissions: fatal <c>access_denied</c>).</summary>
    public static T Io<T>(Func<T> operation, string type, string path)
    {
        try
        {
            return operation();
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new TaskFailedException("access_denied", $"{type}: access to '{path}' is denied: {ex.Message}", ErrorKind.Fatal, innerException: ex);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new TaskFailedException("io_error", $"{type}: '{path}': {ex.Message}", ErrorKind.Retryable, innerException: ex);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new TaskFailedException("not_found", $"{type}: '{path}' does not exist.", ErrorKind.Fatal, innerException: ex);
        }
    }
}
