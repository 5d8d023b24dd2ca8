using System.Text;
using System.Text.Json;
using Switchyard.Worker.Handlers;

namespace Switchyard.Worker.Tests;

/// <summary>
/// <c>fs.read</c> with its default limit on files whose answer would not fit one worker frame once encoded: the read is
/// shortened (eof false), and reading on from offset + length gets the whole file.
/// </summary>
public sealed class FsReadLargeTests : WorkerTest
{
    private string _root = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _root = TempDirectory();
        await StartAsync(NewWorker().HandleBuiltIn([FsReadHandler.TypeName], files: new FileAccessOptions { Roots = [_root] }));
    }

    [Theory]
    [InlineData("base64")]
    [InlineData("text")]
    public async Task Read_AnswerLargerThanAFrame_ShortenedAndTheRestReadOn(string encoding)
    {
        var bytes = encoding == "base64"
            ? RandomBytes(1_500_000)
            : Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("é✓a", 200_000))); // escaped as \u00e9 and \u2713 in JSON
        await File.WriteAllBytesAsync(Path.Join(_root, "big"), bytes, TestContext.Current.CancellationToken);

        var read = new List<byte>();
        var answers = 0;
        while (true)
        {
            var task = await Server.SubmitAsync(FsReadHandler.TypeName, JsonSerializer.Serialize(new { path = "big", encoding, offset = read.Count }));
            var done = await Server.WaitSettledAsync(task.Id);
            Assert.True(done.State == "completed", $"{done.State}: {done.Error?.Code} {done.Error?.Message}");
            var result = JsonDocument.Parse(done.Result!.Value.Raw).RootElement;
            var content = result.GetProperty("content").GetString()!;
            read.AddRange(encoding == "base64" ? Convert.FromBase64String(content) : Encoding.UTF8.GetBytes(content));
            Assert.Equal(read.Count - (long)result.GetProperty("offset").GetInt64(), result.GetProperty("length").GetInt64());
            answers++;
            if (result.GetProperty("eof").GetBoolean())
            {
                break;
            }
        }

        Assert.True(answers > 1, "the first answer was shortened");
        Assert.Equal(bytes, read.ToArray());
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(42).NextBytes(bytes);
        return bytes;
    }
}
