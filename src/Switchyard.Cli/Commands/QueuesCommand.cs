using System.CommandLine;
using System.Globalization;
using Switchyard.Cli.Output;
using Switchyard.Client.Contracts;
using Switchyard.Core.Model;

namespace Switchyard.Cli.Commands;

/// <summary>
/// <c>switchyard queues [NAME]</c>: task counts per state and the controls of every queue, or of one;
/// <c>queues pause|resume NAME</c> and <c>queues set NAME ...</c> change the controls; the name may also come
/// before the verb (<c>queues NAME pause</c>).
/// </summary>
internal static class QueuesCommand
{
    public static Command Build(CommandSetup setup)
    {
        var name = new Argument<string?>("NAME") { Description = "Only this queue", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("queues", "Show queues (task counts per state, limits), or pause, resume and set them.") { name };
        CliAction.Set(command, setup, async (context, cancellationToken) =>
        {
            var queues = context.Get(name) is { } one
                ? [await context.Client.GetQueueAsync(one, cancellationToken)]
                : await context.Client.ListQueuesAsync(cancellationToken);
            await WriteAsync(context, queues);
            return ExitCodes.Ok;
        });
        command.Subcommands.Add(Toggle(setup, name, "pause", "Stop handing out tasks of a queue (submits are still accepted).",
            (client, queue, ct) => client.PauseQueueAsync(queue, ct)));
        command.Subcommands.Add(Toggle(setup, name, "resume", "Hand out the tasks of a paused queue again.",
            (client, queue, ct) => client.ResumeQueueAsync(queue, ct)));
        command.Subcommands.Add(QueueSetCommand.Build(setup, name));
        return command;
    }

    /// <summary>The argument a verb takes its queue from: after the verb, or else before it.</summary>
    public static Argument<string?> VerbName() => new("NAME") { Description = "Queue (or give it before the verb)", Arity = ArgumentArity.ZeroOrOne };

    /// <summary>The queue a verb acts on: <c>queues VERB NAME</c> or <c>queues NAME VERB</c>.</summary>
    public static string QueueOf(CliContext context, Argument<string?> own, Argument<string?> before, string verb)
    {
        var after = context.Get(own);
        var first = context.Get(before);
        if (after is not null && first is not null && after != first)
        {
            throw new CliUsageException($"two queues given ('{first}' and '{after}'): name one, as 'queues {verb} NAME'");
        }

        return after ?? first ?? throw new CliUsageException($"name the queue: 'queues {verb} NAME'");
    }

    /// <summary>Queues as JSON lines with <c>--json</c>, else a table.</summary>
    public static async Task WriteAsync(CliContext context, IReadOnlyList<QueueDto> queues)
    {
        if (context.Json)
        {
            foreach (var queue in queues)
            {
                await JsonOutput.WriteLineAsync(context.Out, queue, ContractsJsonContext.Default.QueueDto);
            }

            return;
        }

        var states = TaskStates.AllNames.Concat(queues.SelectMany(q => q.Counts.Keys)).Distinct(StringComparer.Ordinal).ToArray();
        var table = Tables.Create(["QUEUE", .. states.Select(s => s.ToUpperInvariant()), "WAITING", "MAX", "PAUSED", "LIMITS"]);
        foreach (var q in queues)
        {
            table.AddRow([q.Name, .. states.Select(s => Tables.Number(q.Counts.GetValueOrDefault(s))), Tables.Number(q.Waiting),
                q.MaxLength is { } max ? Tables.Number(max) : "-", q.Settings?.Paused == true ? "yes" : "no", Limits(q.Settings)]);
        }

        Tables.Write(context.Out, table);
    }

    private static Command Toggle(CommandSetup setup, Argument<string?> before, string verb, string description,
        Func<Client.SwitchyardClient, string, CancellationToken, Task<QueueDto>> change)
    {
        var name = VerbName();
        var command = new Command(verb, description) { name };
        CliAction.Set(command, setup, async (context, cancellationToken) =>
        {
            await WriteAsync(context, [await change(context.Client, QueueOf(context, name, before, verb), cancellationToken)]);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Limits(QueueSettingsDto? s)
    {
        if (s is null)
        {
            return string.Empty;
        }

        var parts = new List<string>();
        if (s.MaxRunning is { } running)
        {
            parts.Add($"running<={running}");
        }

        if (s.Rate is { } rate)
        {
            parts.Add($"rate={Rate(rate)}");
        }

        parts.AddRange((s.GroupRates ?? new Dictionary<string, RateLimitDto>()).Select(kv => $"rate[{kv.Key}]={Rate(kv.Value)}"));
        parts.AddRange((s.ScopeWeights ?? new Dictionary<string, int>()).Select(kv => $"weight[{kv.Key}]={kv.Value}"));
        parts.AddRange((s.GroupWeights ?? new Dictionary<string, int>()).Select(kv => $"groupWeight[{kv.Key}]={kv.Value}"));
        return string.Join(' ', parts);
    }

    private static string Rate(RateLimitDto rate) => string.Create(CultureInfo.InvariantCulture, $"{rate.Tasks}/{rate.IntervalMs}ms");
}
