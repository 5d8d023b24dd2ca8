namespace Switchyard.Server.Dialects.OpenAi;

/// <summary>What every completion and chunk of one request carries: <c>chatcmpl-&lt;task id&gt;</c>, creation time, model.</summary>
internal readonly record struct ChatIdentity(string Id, long Created, string Model)
{
    public static ChatIdentity Of(Core.Model.TaskRecord task, string model) =>
        new("chatcmpl-" + task.Id, task.CreatedAt.ToUnixTimeSeconds(), model);
}
