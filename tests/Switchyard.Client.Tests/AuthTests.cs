using System.Net;
using System.Security.Cryptography;
using System.Text;
using Switchyard.Client;
using Switchyard.Client.Contracts;

namespace Switchyard.Tests;

public sealed class AuthTests : ServerTest
{
    private const string Key = "test-key-123";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Security:ApiKeys:ci"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Key))),
    };

    [Fact]
    public async Task AnyCall_WithoutKey_ThrowsUnauthorized()
    {
        var ex = await Assert.ThrowsAsync<SwitchyardApiException>(() => Client.ListQueuesAsync(Ct));

        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.Equal("unauthorized", ex.Code);
    }

    [Fact]
    public async Task SubmitAsync_WithKey_IsAcceptedAndActsAsTheKeysName()
    {
        using var client = new SwitchyardClient(Server.BaseAddress, Key);

        var submitted = await client.SubmitAsync(new SubmitTaskRequest { Type = "echo" }, cancellationToken: Ct);

        Assert.Equal("ci", Assert.Single(await client.HistoryAsync(submitted.Task.Id, Ct)).Actor);
    }
}
