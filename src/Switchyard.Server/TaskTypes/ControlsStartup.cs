using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Switchyard.Core.Types;

namespace Switchyard.Server.TaskTypes;

/// <summary>
/// At start, once the store is open: registers the types file's task types and loads the stored types (queue settings
/// are read by the store where it enforces them). Later changes made through other nodes come in by
/// <see cref="Core.Engine.ControlsReload"/>.
/// </summary>
public static class ControlsStartup
{
    /// <exception cref="InvalidOperationException">The types file is unreadable or defines something invalid; the message names the field.</exception>
    public static async Task LoadAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var file = services.GetRequiredService<IOptions<TaskTypesOptions>>().Value.File;
        IReadOnlyList<TaskTypeDefinition> fromFile;
        try
        {
            fromFile = string.IsNullOrEmpty(file) ? [] : TaskTypesFile.Load(Path.GetFullPath(file));
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException(ex.Message, ex);
        }

        if (await services.GetRequiredService<TaskTypeCatalog>().LoadAsync(fromFile, cancellationToken) is { } problem)
        {
            throw new InvalidOperationException($"task types file '{file}': {problem.Message}");
        }
    }
}
