using System.Security.Cryptography;
using System.Text;

namespace Switchyard.Worker.Tests;

public sealed class AuthTests : WorkerTest
{
    private const string Key = "worker-test-key";

    protected override IReadOnlyDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["Security:ApiKeys:tests"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Key))),
    };

    [Fact]
    public async Task RightKey_WorkerConnects()
    {
        var worker = NewWorker(o => o with { ApiKey = Key }).Handle("x", (ctx, ct) => Task.CompletedTask);

        var id = await StartAsync(worker);

        Assert.False(string.IsNullOrEmpty(id));
    }

    [Fact]
    public async Task WrongKey_WorkerRefusedForGood()
    {
        var worker = NewWorker(o => o with { ApiKey = "wrong" }).Handle("x", (ctx, ct) => Task.CompletedTask);

        await worker.StartAsync(Ct);

        var refused = await Assert.ThrowsAsync<SwitchyardWorkerException>(() => worker.Completion.WaitAsync(Bound, Ct));
        Assert.Contains("401", refused.Message, StringComparison.Ordinal);
    }
}
