using System.Text.Json;

namespace Switchyard.Server.Tests.OpenAi;

/// <summary>
/// The acceptance check of the OpenAI-compatible endpoint: the official <c>openai</c> npm package (and a plain fetch
/// to the dispatcher dialect's <c>POST /api/openai</c>) talks to a real server whose work is done by a Node worker
/// speaking the worker protocol with <c>ws</c> (tests/node).
/// Fails, never skips, when Node.js or the packages are missing: ./test.sh installs them.
/// </summary>
public sealed class NodeClientTests
{
    [Fact]
    public async Task OfficialOpenAiClient_NodeWorkerServes_CompletionsStreamsModelsErrorsAndDispatcherRoute()
    {
        var folder = NodeProcess.RequireNodeFolder("openai", "ws");
        await using var server = await TestServer.StartAsync();
        var url = server.Http.BaseAddress!.ToString();
        await using var worker = NodeProcess.Start(folder, "worker.mjs", url, "node-echo", "node-echo-full");
        await worker.WaitForLineAsync(l => l.Contains("\"ready\"", StringComparison.Ordinal), TimeSpan.FromSeconds(30));

        await using var client = NodeProcess.Start(folder, "client.mjs", url, "node-echo");
        await client.WaitForExitAsync(TimeSpan.FromSeconds(90));
        Assert.True(client.ExitCode == 0, $"client.mjs failed with exit code {client.ExitCode}.\nstdout:\n{client.Stdout}\nstderr:\n{client.Stderr}");
        var lines = client.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        using var document = JsonDocument.Parse(lines[^1]);
        var seen = document.RootElement;

        Assert.Equal(["node-echo", "node-echo-full"], seen.GetProperty("models").EnumerateArray().Select(m => m.GetString()));

        var completion = seen.GetProperty("completion");
        Assert.StartsWith("chatcmpl-", completion.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("chat.completion", completion.GetProperty("object").GetString());
        Assert.Equal("node-echo", completion.GetProperty("model").GetString());
        Assert.Equal("echo: hello from node", completion.GetProperty("content").GetString());
        Assert.Equal("stop", completion.GetProperty("finish").GetString());
        Assert.True(completion.GetProperty("totalTokens").GetInt32() > 0);

        var full = seen.GetProperty("full");
        Assert.Equal("chatcmpl-node-worker", full.GetProperty("id").GetString());
        Assert.Equal("echo: hello from node", full.GetProperty("content").GetString());

        var stream = seen.GetProperty("stream");
        Assert.Equal("echo: hello from node", stream.GetProperty("content").GetString());
        Assert.Equal("stop", stream.GetProperty("finish").GetString());
        Assert.True(stream.GetProperty("chunks").GetInt32() >= 5, "one chunk per progress frame, a finish chunk and a usage chunk");
        Assert.Single(stream.GetProperty("ids").EnumerateArray());
        Assert.True(stream.GetProperty("totalTokens").GetInt32() > 0);

        var missing = seen.GetProperty("missing");
        Assert.Equal(503, missing.GetProperty("status").GetInt32());
        Assert.Equal("model_not_available", missing.GetProperty("code").GetString());

        // The dispatcher dialect's route: same payload, so the same worker answers it.
        var dispatcher = seen.GetProperty("dispatcher");
        Assert.True(dispatcher.GetProperty("status").GetInt32() == 200, $"POST /api/openai answered {dispatcher}");
        var body = dispatcher.GetProperty("body");
        Assert.Equal("completed", body.GetProperty("status").GetString());
        Assert.Equal("echo: hello from node", body.GetProperty("result").GetProperty("content").GetString());
    }
}
