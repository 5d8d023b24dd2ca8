using System.Net;
using Switchyard.Client.Contracts.Worker;
using Switchyard.Server.Tests.WebSockets;

namespace Switchyard.Server.Tests.OpenAi;

public sealed class ModelsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Models_WorkersConnected_OneModelPerGroupOfWorkersThatTakeChatTasks()
    {
        await using var server = await TestServer.StartAsync();
        await using var both = await TestWorker.ConnectAsync(server, new HelloMessage { Groups = ["b-model", "a-model"] });
        await using var again = await TestWorker.ConnectAsync(server, new HelloMessage { Groups = ["a-model"] });
        await using var plain = await TestWorker.ConnectAsync(server, new HelloMessage());
        await using var elsewhere = await TestWorker.ConnectAsync(server, new HelloMessage { Queues = ["batch"], Groups = ["c-model"] });
        await using var otherType = await TestWorker.ConnectAsync(server, new HelloMessage { Types = ["echo"], Groups = ["d-model"] });

        using var response = await server.Http.GetAsync("/v1/models", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var list = await ChatHttp.JsonAsync(response);
        Assert.Equal("list", list.GetProperty("object").GetString());
        var models = list.GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal(["a-model", "b-model", "default"], models.Select(m => m.GetProperty("id").GetString()));
        Assert.All(models, m =>
        {
            Assert.Equal("model", m.GetProperty("object").GetString());
            Assert.Equal("switchyard", m.GetProperty("owned_by").GetString());
            Assert.True(m.GetProperty("created").GetInt64() > 1_600_000_000);
        });

        using var one = await server.Http.GetAsync("/v1/models/a-model", Ct);
        Assert.Equal("a-model", (await ChatHttp.JsonAsync(one)).GetProperty("id").GetString());
        using var missing = await server.Http.GetAsync("/v1/models/c-model", Ct);
        await ChatHttp.ErrorAsync(missing, 404, "invalid_request_error", "model_not_found");
    }

    [Theory]
    [InlineData("/v1/models/meta/llama-3")]
    [InlineData("/v1/models/meta%2Fllama-3")] // how the OpenAI SDKs send a model name with a slash
    public async Task Model_NameWithSlash_FoundEncodedOrNot(string path)
    {
        await using var server = await TestServer.StartAsync();
        await using var worker = await TestWorker.ConnectAsync(server, new HelloMessage { Groups = ["meta/llama-3"] });

        using var response = await server.Http.GetAsync(new Uri(path, UriKind.Relative), Ct);

        Assert.Equal("meta/llama-3", (await ChatHttp.JsonAsync(response)).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Models_NoWorker_EmptyList()
    {
        await using var server = await TestServer.StartAsync();
        var list = await ChatHttp.JsonAsync(await server.Http.GetAsync("/v1/models", Ct));
        Assert.Equal("""{"object":"list","data":[]}""", list.GetRawText());
    }
}
