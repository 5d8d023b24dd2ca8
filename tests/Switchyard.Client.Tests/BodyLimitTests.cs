using System.Net;
using Switchyard.Client;
using Switchyard.Client.Contracts;
using Switchyard.Core.Model;

namespace Switchyard.Tests;

/// <summary>A body larger than the server takes is refused as such, however large, and the client goes on.</summary>
public sealed class BodyLimitTests : ServerTest
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Server:MaxRequestBytes"] = "100000",
    };

    [Theory]
    [InlineData(200_000)] // over the limit, under Kestrel's own
    [InlineData(40_000_000)] // over Kestrel's own limit too: never sent
    public async Task Submit_BodyOverTheLimit_RefusedAsTooLargeNotAsAnOutage(int payloadChars)
    {
        var ex = await Assert.ThrowsAsync<SwitchyardApiException>(() => Client.SubmitAsync(Task(payloadChars), cancellationToken: Ct));

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "payload_too_large"), (ex.StatusCode, ex.Code));
        Assert.Equal("queued", (await Client.SubmitAsync(Task(10), cancellationToken: Ct)).Task.State);
    }

    [Fact]
    public async Task Submit_LargeBodyWithinTheLimit_Stored()
    {
        var submitted = await Client.SubmitAsync(Task(90_000), cancellationToken: Ct);

        Assert.Equal(90_002, (await Client.GetAsync(submitted.Task.Id, cancellationToken: Ct)).Payload.Raw!.Length);
    }

    private static SubmitTaskRequest Task(int payloadChars) =>
        new() { Type = "echo", Payload = new JsonText($"\"{new string('a', payloadChars)}\"") };
}
