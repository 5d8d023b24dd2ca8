using System.CommandLine;
using System.Text.Json.Nodes;
using Switchyard.Core.Model;

namespace Switchyard.Cli.Commands;

/// <summary><c>switchyard queues set NAME [--max-length N] [--max-running N] [--rate T/I] [--group-rate G=T/I] [--scope-weight S=W] ...</c></summary>
internal static class QueueSetCommand
{
    public static Command Build(CommandSetup setup, Argument<string?> before)
    {
        var name = QueuesCommand.VerbName();
        var maxLength = new Option<string?>("--max-length") { Description = "Waiting tasks the queue may hold (0 = no limit; none = the configured limit)", HelpName = "N|none" };
        var maxRunning = new Option<string?>("--max-running") { Description = "Tasks of the queue running at once (none = no limit)", HelpName = "N|none" };
        var rate = new Option<string?>("--rate") { Description = "Tasks started per interval, e.g. 10/s, 60/1m or 5/500ms (none = no limit)", HelpName = "T/INTERVAL|none" };
        var groupRates = new Option<string[]>("--group-rate") { Description = "Rate of one group, e.g. gpt-4o=60/1m (repeatable; G=none removes)", HelpName = "GROUP=T/INTERVAL" };
        var scopeWeights = new Option<string[]>("--scope-weight") { Description = "Share of a scope (tenant), e.g. acme=3 (repeatable; S=none removes)", HelpName = "SCOPE=W" };
        var groupWeights = new Option<string[]>("--group-weight") { Description = "Share of a group among equal priorities (repeatable)", HelpName = "GROUP=W" };
        var paused = new Option<bool?>("--paused") { Description = "Pause (true) or resume (false) the queue" };
        var command = new Command("set", "Change a queue's limits and weights; options left out stay as they are.")
        {
            name, maxLength, maxRunning, rate, groupRates, scopeWeights, groupWeights, paused,
        };
        CliAction.Set(command, setup, async (context, cancellationToken) =>
        {
            var queueName = QueuesCommand.QueueOf(context, name, before, "set");
            var patch = new JsonObject();
            if (context.Get(paused) is { } pause)
            {
                patch["paused"] = pause;
            }

            Add(patch, "maxLength", context.Get(maxLength), v => QueueSettingArgs.Int("--max-length", v));
            Add(patch, "maxRunning", context.Get(maxRunning), v => QueueSettingArgs.Int("--max-running", v));
            Add(patch, "rate", context.Get(rate), v => QueueSettingArgs.Rate("--rate", v));
            AddEntries(patch, "groupRates", "--group-rate", context.Get(groupRates), QueueSettingArgs.Rate);
            AddEntries(patch, "scopeWeights", "--scope-weight", context.Get(scopeWeights), QueueSettingArgs.Int);
            AddEntries(patch, "groupWeights", "--group-weight", context.Get(groupWeights), QueueSettingArgs.Int);
            if (patch.Count == 0)
            {
                throw new CliUsageException("say what to set: --max-length, --max-running, --rate, --group-rate, --scope-weight, --group-weight or --paused");
            }

            var queue = await context.Client.UpdateQueueAsync(queueName, new JsonText(patch.ToJsonString()), cancellationToken);
            await QueuesCommand.WriteAsync(context, [queue]);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Add(JsonObject patch, string key, string? value, Func<string, JsonNode?> read)
    {
        if (value is not null)
        {
            patch[key] = read(value);
        }
    }

    private static void AddEntries(JsonObject patch, string key, string option, string[]? values, Func<string, string, JsonNode?> read)
    {
        if (values is { Length: > 0 })
        {
            patch[key] = QueueSettingArgs.Entries(option, values, read);
        }
    }
}
