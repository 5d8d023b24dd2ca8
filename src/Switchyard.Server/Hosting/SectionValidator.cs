using Microsoft.Extensions.Options;

namespace Switchyard.Server.Hosting;

/// <summary>
/// Refuses a settings section at start with each problem its own check finds, named by section and setting
/// (<c>Schedules:MaxCatchUpRuns must be between 1 and 10000</c>), rather than one line that names neither.
/// </summary>
internal sealed class SectionValidator<T>(string section, Func<T, IReadOnlyList<string>> check) : IValidateOptions<T>
    where T : class
{
    public ValidateOptionsResult Validate(string? name, T options) =>
        check(options) is { Count: > 0 } problems
            ? ValidateOptionsResult.Fail(problems.Select(p => p.StartsWith(section + ":", StringComparison.Ordinal) ? p : $"{section}:{p}"))
            : ValidateOptionsResult.Success;
}
