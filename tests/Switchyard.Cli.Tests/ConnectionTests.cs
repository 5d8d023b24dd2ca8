using System.Security.Cryptography;
using System.Text;

namespace Switchyard.Tests;

public sealed class ConnectionTests : ServerTest
{
    private const string Key = "cli-key";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Security:ApiKeys:cli"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Key))),
    };

    [Fact]
    public async Task AnyCommand_NothingListening_SaysServerUnreachableAndExitsThree()
    {
        var run = await CliRun.RunAsync(new Uri("http://127.0.0.1:1"), ["list"]);

        Assert.Equal(3, run.ExitCode);
        Assert.StartsWith("switchyard: cannot reach the server at http://127.0.0.1:1/", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyCommand_BadServerAddress_ExitsTwo()
    {
        var run = await CliRun.RunAsync(null, ["--server", "ftp://x", "queues"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("is not a server address", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyCommand_WithoutKey_PrintsUnauthorizedAndExitsOne()
    {
        var run = await CliRun.RunAsync(Server.BaseAddress, ["queues"]);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("switchyard: unauthorized: ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyCommand_KeyOption_IsSent()
    {
        var run = await CliRun.RunAsync(Server.BaseAddress, ["queues", "--api-key", Key]);

        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public async Task AnyCommand_ServerAndKeyFromEnvironment_AreUsed()
    {
        var variables = new Dictionary<string, string>
        {
            ["SWITCHYARD_SERVER"] = Server.BaseAddress.ToString(),
            ["SWITCHYARD_API_KEY"] = Key,
        };

        var run = await CliRun.RunAsync(null, ["submit", "echo", "{}"], variables: variables);

        Assert.Equal(0, run.ExitCode);
        Assert.NotEmpty(run.Out.Trim());
    }
}
