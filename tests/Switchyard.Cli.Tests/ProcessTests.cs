using System.Diagnostics;
using Switchyard.Client.Contracts;
using Switchyard.Core.Model;

namespace Switchyard.Tests;

/// <summary>The real <c>switchyard</c> executable, run as a process.</summary>
public sealed class ProcessTests : ServerTest
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Executable_SubmitThenWorkerOnce_CompletesTask()
    {
        var (submitExit, id, _) = await RunToEndAsync("--server", Server.BaseAddress.ToString(), "submit", "echo", """{"via":"process"}""");
        var (workerExit, _, log) = await RunToEndAsync("--server", Server.BaseAddress.ToString(), "worker", "--exec", "cat", "--once");

        Assert.Equal(0, submitExit);
        Assert.Equal(0, workerExit);
        Assert.Contains($"{id.Trim()} echo completed", log, StringComparison.Ordinal);
        Assert.Equal("""{"via":"process"}""", (await Client.GetAsync(id.Trim(), cancellationToken: Ct)).Result?.Raw);
    }

    [Fact]
    public async Task Executable_NothingListening_ExitsThree()
    {
        var (exit, _, error) = await RunToEndAsync("--server", "http://127.0.0.1:1", "queues");

        Assert.Equal(3, exit);
        Assert.Contains("cannot reach the server", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Executable_WorkerGetsSigterm_KillsCommandAfterGraceAndExitsCleanly()
    {
        var id = (await Client.SubmitAsync(new SubmitTaskRequest { Type = "sleepy", MaxAttempts = 3, Payload = JsonText.Parse("{}") },
            cancellationToken: Ct)).Task.Id;
        using var worker = Start("--server", Server.BaseAddress.ToString(), "worker", "--exec", "sleep 30", "--grace-seconds", "0.5", "--verbose");
        var stderr = new SignalWriter();
        var pump = PumpAsync(worker.StandardError, stderr);
        await stderr.WaitForLineAsync($"{id} sleepy started").WaitAsync(Bound, Ct);

        using (var kill = Process.Start("kill", ["-TERM", worker.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(Ct);
        }

        await worker.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(20), Ct);
        await pump.WaitAsync(Bound, Ct);

        Assert.Equal(0, worker.ExitCode);
        Assert.Contains($"{id} sleepy abandoned", stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal("worker_stopped", (await Client.GetAsync(id, cancellationToken: Ct)).Error?.Code);
    }

    private static async Task<(int Exit, string Out, string Error)> RunToEndAsync(params string[] args)
    {
        using var process = Start(args);
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct).WaitAsync(Bound, Ct);
        return (process.ExitCode, await output, await error);
    }

    private static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "switchyard.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("SWITCHYARD_SERVER");
        start.Environment.Remove("SWITCHYARD_API_KEY");
        var process = Process.Start(start)!;
        process.StandardInput.Close();
        return process;
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static async Task PumpAsync(StreamReader reader, TextWriter writer)
    {
        while (await reader.ReadLineAsync(Ct) is { } line)
        {
            writer.WriteLine(line);
        }
    }
}
