using System.CommandLine;
using Switchyard.Client;

namespace Switchyard.Cli;

/// <summary>
/// Runs a client command and turns what goes wrong into a line on stderr and an exit code:
/// server refusals (<c>switchyard: code: detail</c>, 1), bad input (2), an unreachable server (3), Ctrl+C (130).
/// </summary>
internal static class CliAction
{
    public static void Set(Command command, CommandSetup setup, Func<CliContext, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var context = new CliContext(parse, setup);
            try
            {
                return await action(context, cancellationToken);
            }
            catch (SwitchyardApiException ex)
            {
                await context.Error.WriteLineAsync($"switchyard: {ex.Code}: {ex.Detail}");
                foreach (var (field, messages) in ex.Errors.Where(e => !ex.Detail.Contains(e.Key, StringComparison.Ordinal)))
                {
                    await context.Error.WriteLineAsync($"  {field}: {string.Join("; ", messages)}");
                }

                return ExitCodes.ServerError;
            }
            catch (HttpRequestException ex)
            {
                await context.Error.WriteLineAsync(
                    $"switchyard: cannot reach the server at {context.Server}: {ex.Message} " +
                    $"(is it running? set --server or {GlobalOptions.ServerVariable})");
                return ExitCodes.Unreachable;
            }
            catch (TimeoutException ex)
            {
                await context.Error.WriteLineAsync($"switchyard: {ex.Message}");
                return ExitCodes.Unreachable;
            }
            catch (CliUsageException ex)
            {
                await context.Error.WriteLineAsync($"switchyard: {ex.Message}");
                return ExitCodes.Usage;
            }
            catch (ArgumentException ex)
            {
                // The client refuses a value before sending it (an empty id, say): bad input, said in one line.
                var refused = CliUsageException.From(ex);
                await context.Error.WriteLineAsync($"switchyard: {(ex.ParamName is { } name ? $"{name}: " : "")}{refused.Message}");
                return ExitCodes.Usage;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return ExitCodes.Interrupted;
            }
        });
}
