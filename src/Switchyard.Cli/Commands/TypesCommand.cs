using System.CommandLine;
using System.Globalization;
using Switchyard.Cli.Output;
using Switchyard.Client;
using Switchyard.Client.Contracts;
using Switchyard.Server.TaskTypes;

namespace Switchyard.Cli.Commands;

/// <summary><c>switchyard types list|get TYPE|put FILE|rm TYPE</c>: the registered task types.</summary>
internal static class TypesCommand
{
    public static Command Build(CommandSetup setup)
    {
        var command = new Command("types", "Show and change the registered task types (payload schema, defaults, concurrency).");
        command.Subcommands.Add(List(setup));
        command.Subcommands.Add(Get(setup));
        command.Subcommands.Add(Put(setup));
        command.Subcommands.Add(Remove(setup));
        return command;
    }

    private static Command List(CommandSetup setup)
    {
        var command = new Command("list", "List the registered task types.");
        command.Aliases.Add("ls");
        CliAction.Set(command, setup, async (context, cancellationToken) =>
        {
            var types = await context.Client.ListTaskTypesAsync(cancellationToken);
            if (context.Json)
            {
                foreach (var type in types)
                {
                    await JsonOutput.WriteLineAsync(context.Out, type, ContractsJsonContext.Default.TaskTypeDto);
                }

                return ExitCodes.Ok;
            }

            var table = Tables.Create("TYPE", "SOURCE", "CONCURRENCY", "QUEUE", "SCHEMA", "DESCRIPTION");
            foreach (var t in types)
            {
                table.AddRow(t.Type, t.Source, t.Concurrency?.ToString(CultureInfo.InvariantCulture) ?? "-", t.Defaults?.Queue ?? "-",
                    t.PayloadSchema is null ? "no" : "yes", t.Description);
            }

            Tables.Write(context.Out, table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Get(CommandSetup setup)
    {
        var type = new Argument<string>("TYPE") { Description = "Task type" };
        var command = new Command("get", "Show one task type as JSON.") { type };
        CliAction.Set(command, setup, async (context, cancellationToken) =>
        {
            var definition = await context.Client.GetTaskTypeAsync(context.Get(type)!, cancellationToken);
            await JsonOutput.WriteIndentedAsync(context.Out, definition, ContractsJsonContext.Default.TaskTypeDto);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Put(CommandSetup setup)
    {
        var file = new Argument<string>("FILE") { Description = "YAML (.yaml, .yml) or JSON file: one task type, or types: [...]; - reads JSON from stdin" };
        var command = new Command("put", "Create or replace task types from a file.") { file };
        CliAction.Set(command, setup, async (context, cancellationToken) =>
        {
            var path = context.Get(file)!;
            IReadOnlyList<TaskTypeDto> definitions;
            try
            {
                definitions = path == JsonInput.StdinMarker
                    ? TaskTypesFile.Parse(await context.Environment.Input.ReadToEndAsync(cancellationToken), yaml: false)
                    : TaskTypesFile.Read(path);
            }
            catch (FormatException ex)
            {
                throw new CliUsageException(ex.Message, ex);
            }

            if (definitions.Count == 0 || definitions.Any(d => string.IsNullOrEmpty(d.Type)))
            {
                throw new CliUsageException($"'{path}' must define at least one task type, each with a type");
            }

            for (var i = 0; i < definitions.Count; i++)
            {
                TaskTypeDto stored;
                try
                {
                    stored = await context.Client.PutTaskTypeAsync(definitions[i], cancellationToken);
                }
                catch (SwitchyardApiException ex) when (definitions.Count > 1)
                {
                    // Each type is stored on its own: say which one was refused, and what stands from the file.
                    await context.Error.WriteLineAsync($"switchyard: types[{i}] ({definitions[i].Type}): {ex.Code}: {ex.Detail}");
                    await context.Error.WriteLineAsync(i == 0
                        ? "switchyard: nothing from the file was stored"
                        : $"switchyard: stored before it: {string.Join(", ", definitions.Take(i).Select(d => d.Type))}; the {definitions.Count - i - 1} after it were not sent");
                    return ExitCodes.ServerError;
                }

                await (context.Json
                    ? JsonOutput.WriteLineAsync(context.Out, stored, ContractsJsonContext.Default.TaskTypeDto)
                    : context.Out.WriteLineAsync($"{stored.Type} stored"));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Remove(CommandSetup setup)
    {
        var type = new Argument<string>("TYPE") { Description = "Task type" };
        var command = new Command("rm", "Remove a task type (its tasks are not touched).") { type };
        command.Aliases.Add("delete");
        CliAction.Set(command, setup, async (context, cancellationToken) =>
        {
            await context.Client.DeleteTaskTypeAsync(context.Get(type)!, cancellationToken);
            await context.Out.WriteLineAsync($"{context.Get(type)} removed");
            return ExitCodes.Ok;
        });
        return command;
    }
}
