using System.Text.Json;
using Switchyard.Core.Engine;

namespace Switchyard.Core.Scheduling;

/// <summary>How stores keep a schedule's task template: the <see cref="SubmitTask"/> as JSON, every field it has.</summary>
public static class ScheduleTemplates
{
    public static string Write(SubmitTask template) => JsonSerializer.Serialize(template, ScheduleJsonContext.Default.SubmitTask);

    public static SubmitTask Read(string json) =>
        JsonSerializer.Deserialize(json, ScheduleJsonContext.Default.SubmitTask)
        ?? throw new JsonException("A stored schedule template is null.");
}
