using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Switchyard.Cli.Output;

/// <summary>
/// Renders Spectre.Console tables to a command's output writer: borderless columns (easy to read and to cut or awk),
/// wide enough not to wrap when piped.
/// </summary>
internal static class Tables
{
    private const int PipedWidth = 240;

    public static Table Create(params string[] columns)
    {
        var table = new Table().Border(TableBorder.None);
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(new Text(column)) { NoWrap = true, Padding = new Padding(0, 0, 2, 0) });
        }

        return table;
    }

    public static void AddRow(this Table table, params string?[] cells) =>
        table.AddRow(cells.Select(c => (IRenderable)new Text(c ?? string.Empty)).ToArray());

    public static void Write(TextWriter writer, Table table)
    {
        var output = new AnsiConsoleOutput(writer);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = output,
            Ansi = output.IsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = output.IsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!output.IsTerminal)
        {
            console.Profile.Width = PipedWidth;
        }

        console.Write(table);
    }

    public static string Time(DateTimeOffset? at) =>
        at?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? string.Empty;

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
