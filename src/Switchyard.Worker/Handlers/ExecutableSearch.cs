namespace Switchyard.Worker.Handlers;

/// <summary>Finds a program as <c>execvp</c> would: a name with a slash as a path, any other name along <c>PATH</c>.</summary>
internal static class ExecutableSearch
{
    /// <param name="name">The program, as argv[0].</param>
    /// <param name="workingDirectory">Where the program will run; a relative name with a slash is taken from there.</param>
    /// <param name="path">The <c>PATH</c> the program will see.</param>
    public static string? Find(string name, string? workingDirectory, string? path)
    {
        if (name.Contains('/', StringComparison.Ordinal))
        {
            var file = Path.IsPathRooted(name) || string.IsNullOrEmpty(workingDirectory) ? name : Path.Combine(workingDirectory, name);
            return IsExecutable(file) ? file : null;
        }

        foreach (var directory in (path ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (IsExecutable(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool IsExecutable(string file)
    {
        if (!File.Exists(file))
        {
            return false;
        }

        return OperatingSystem.IsWindows()
               || (File.GetUnixFileMode(file) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }
}
