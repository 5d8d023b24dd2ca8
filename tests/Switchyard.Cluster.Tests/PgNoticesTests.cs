using System.Text;
using Switchyard.Core.Engine;
using Switchyard.Core.Model;
using Switchyard.Storage.Postgres.Cluster;

namespace Switchyard.Cluster.Tests;

public sealed class PgNoticesTests
{
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void PackExpired_ManyTasksAndABigResult_PayloadsUnderTheLimit_EveryTaskOnceInOrder_TheBigOneThin()
    {
        var tasks = Enumerable.Range(0, 300).Select(i => Completed($"t-{i}", i == 7 ? 20_000 : 1_000)).ToArray();

        var payloads = PgNotices.PackExpired("node-a", tasks.Select((t, i) => PgNotices.EncodeExpired(100 + i, t)));

        Assert.True(payloads.Length > 1);
        Assert.All(payloads, p => Assert.True(Encoding.UTF8.GetByteCount(p) < PgNotices.MaxPayloadBytes));
        var notices = payloads.SelectMany(p => PgNotices.Decode(p)!.Expired!).ToArray();
        Assert.Equal(tasks.Select(t => t.Id), notices.Select(n => n.Id));
        Assert.All(notices, n => Assert.True(n is { Expired: true, State: "completed", From: "completed" }));
        Assert.Equal([7], notices.Select((n, i) => (n, i)).Where(x => x.n.Thin).Select(x => x.i));
        Assert.Equal(tasks[8].Result, notices[8].Result);
        Assert.All(payloads, p => Assert.Null(PgNotices.Decode(p)!.Moves)); // nodes of versions before expiry notices skip them
    }

    private static TaskRecord Completed(string id, int resultChars) =>
        NewTasks.Build(new SubmitTask { Id = id, Type = "echo" }, new EngineOptions(), Now).Value! with
        {
            State = TaskState.Completed,
            Result = new JsonText("\"" + new string('r', resultChars) + "\""),
        };
}
