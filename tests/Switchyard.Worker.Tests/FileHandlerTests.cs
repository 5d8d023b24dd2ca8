using System.Text;
using System.Text.Json;
using Switchyard.Client.Contracts;
using Switchyard.Worker.Handlers;

namespace Switchyard.Worker.Tests;

/// <summary>The file handlers on real temporary folders, through a real server and worker: what they do, and every way out of the roots they refuse.</summary>
public sealed class FileHandlerTests : WorkerTest
{
    private string _root = null!;
    private string _outside = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _root = TempDirectory();
        _outside = TempDirectory();
        File.WriteAllText(Path.Join(_outside, "secret.txt"), "top secret");
        Directory.CreateSymbolicLink(Path.Join(_root, "link-out"), _outside);
        File.CreateSymbolicLink(Path.Join(_root, "file-out"), Path.Join(_outside, "secret.txt"));
        var files = new FileAccessOptions { Roots = [_root], MaxReadBytes = 64, MaxScanEntries = 50 };
        await StartAsync(NewWorker().HandleBuiltIn(
            [FsScanHandler.TypeName, FsReadHandler.TypeName, FsWriteHandler.TypeName, AnalysisScanHandler.TypeName], files: files));
    }

    [Fact]
    public async Task Scan_FolderWithDepthAndGlob_ListsMatchingEntriesInNameOrder()
    {
        Directory.CreateDirectory(Path.Join(_root, "src", "deep"));
        File.WriteAllText(Path.Join(_root, "src", "b.cs"), "12345");
        File.WriteAllText(Path.Join(_root, "src", "a.txt"), "1");
        File.WriteAllText(Path.Join(_root, "src", "deep", "c.cs"), "12");

        var shallow = await ResultOfAsync(FsScanHandler.TypeName, new { path = "src" });
        var deep = await ResultOfAsync(FsScanHandler.TypeName, new { path = "src", depth = 1, glob = "*.cs" });

        Assert.Equal(["a.txt", "b.cs", "deep"], Paths(shallow));
        var b = shallow.GetProperty("entries")[1];
        Assert.Equal(("file", 5L), (b.GetProperty("type").GetString(), b.GetProperty("size").GetInt64()));
        Assert.Equal(File.GetLastWriteTimeUtc(Path.Join(_root, "src", "b.cs")), b.GetProperty("modified").GetDateTime().ToUniversalTime());
        Assert.Equal("directory", shallow.GetProperty("entries")[2].GetProperty("type").GetString());
        Assert.Equal(["b.cs", "deep/c.cs"], Paths(deep));
    }

    [Fact]
    public async Task Scan_RootWithLinks_ListsLinksWithoutFollowingThem()
    {
        var root = await ResultOfAsync(FsScanHandler.TypeName, new { depth = 3 });

        Assert.Equal(["file-out", "link-out"], Paths(root));
        Assert.All(root.GetProperty("entries").EnumerateArray(), e => Assert.Equal("symlink", e.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task Scan_MoreThanMaxEntries_Truncated()
    {
        for (var i = 0; i < 5; i++)
        {
            File.WriteAllText(Path.Join(_root, $"f{i}.txt"), "x");
        }

        var result = await ResultOfAsync(FsScanHandler.TypeName, new { glob = "f*", maxEntries = 3 });

        Assert.Equal((3, true), (result.GetProperty("count").GetInt32(), result.GetProperty("truncated").GetBoolean()));
    }

    [Fact]
    public async Task Read_TextAndBase64WithOffsetAndLength_ReturnsThatSlice()
    {
        File.WriteAllText(Path.Join(_root, "notes.txt"), "hello, world");

        var text = await ResultOfAsync(FsReadHandler.TypeName, new { path = "notes.txt", offset = 7, length = 3 });
        var base64 = await ResultOfAsync(FsReadHandler.TypeName, new { path = Path.Join(_root, "notes.txt"), encoding = "base64" });

        Assert.Equal(("wor", 12L, false), (text.GetProperty("content").GetString(), text.GetProperty("size").GetInt64(), text.GetProperty("eof").GetBoolean()));
        Assert.Equal("hello, world", Encoding.UTF8.GetString(Convert.FromBase64String(base64.GetProperty("content").GetString()!)));
        Assert.True(base64.GetProperty("eof").GetBoolean());
    }

    [Fact]
    public async Task Read_BiggerThanTheCap_FirstCapBytesAndNotEof()
    {
        File.WriteAllText(Path.Join(_root, "big.txt"), new string('x', 100));

        var result = await ResultOfAsync(FsReadHandler.TypeName, new { path = "big.txt" });

        Assert.Equal((64, false), (result.GetProperty("length").GetInt32(), result.GetProperty("eof").GetBoolean()));
        await AssertFailsAsync(FsReadHandler.TypeName, new { path = "big.txt", length = 65 }, "invalid_payload");
    }

    [Fact]
    public async Task Read_MissingOrFolder_FatalWithItsCode()
    {
        await AssertFailsAsync(FsReadHandler.TypeName, new { path = "nothing.txt" }, "not_found");
        await AssertFailsAsync(FsReadHandler.TypeName, new { path = "." }, "not_a_file");
    }

    [Fact]
    public async Task Write_OverwriteCreateAppendAndParents_EachAsAsked()
    {
        var written = await ResultOfAsync(FsWriteHandler.TypeName, new { path = "out/a.txt", content = "one", createParents = true });
        await ResultOfAsync(FsWriteHandler.TypeName, new { path = "out/a.txt", content = "two" });
        await ResultOfAsync(FsWriteHandler.TypeName, new { path = "out/a.txt", content = "+three", mode = "append" });
        await ResultOfAsync(FsWriteHandler.TypeName, new { path = "out/b.bin", content = Convert.ToBase64String([0, 1, 2]), encoding = "base64", mode = "create" });

        Assert.Equal((true, 3L), (written.GetProperty("created").GetBoolean(), written.GetProperty("bytesWritten").GetInt64()));
        Assert.Equal("two+three", File.ReadAllText(Path.Join(_root, "out", "a.txt")));
        Assert.Equal(new byte[] { 0, 1, 2 }, File.ReadAllBytes(Path.Join(_root, "out", "b.bin")));
        Assert.Equal(["a.txt", "b.bin"], Directory.GetFiles(Path.Join(_root, "out")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        await AssertFailsAsync(FsWriteHandler.TypeName, new { path = "out/a.txt", content = "x", mode = "create" }, "file_exists");
        await AssertFailsAsync(FsWriteHandler.TypeName, new { path = "missing/a.txt", content = "x" }, "not_found");
        await AssertFailsAsync(FsWriteHandler.TypeName, new { path = "out", content = "x" }, "not_a_file");
        Assert.Equal("two+three", File.ReadAllText(Path.Join(_root, "out", "a.txt")));
    }

    [Theory]
    [InlineData(FsReadHandler.TypeName, "../{outside}/secret.txt")]
    [InlineData(FsReadHandler.TypeName, "{outsideFull}/secret.txt")]
    [InlineData(FsReadHandler.TypeName, "link-out/secret.txt")]
    [InlineData(FsReadHandler.TypeName, "file-out")]
    [InlineData(FsReadHandler.TypeName, "sub/../../{outside}/secret.txt")]
    [InlineData(FsScanHandler.TypeName, "..")]
    [InlineData(FsScanHandler.TypeName, "link-out")]
    [InlineData(FsScanHandler.TypeName, "/")]
    [InlineData(AnalysisScanHandler.TypeName, "link-out")]
    [InlineData(AnalysisScanHandler.TypeName, "..")]
    [InlineData(FsWriteHandler.TypeName, "file-out")]
    [InlineData(FsWriteHandler.TypeName, "link-out/secret.txt")]
    [InlineData(FsWriteHandler.TypeName, "link-out/new.txt")]
    [InlineData(FsWriteHandler.TypeName, "../{outside}/new.txt")]
    public async Task AnyHandler_PathLeavingTheRoots_FatalPathOutsideRootsAndNothingTouched(string type, string path)
    {
        var escape = path.Replace("{outsideFull}", _outside, StringComparison.Ordinal).Replace("{outside}", Path.GetFileName(_outside), StringComparison.Ordinal);

        var failed = await AssertFailsAsync(type, new { path = escape, content = "overwritten" }, "path_outside_roots", ignoreUnknown: type != FsWriteHandler.TypeName);

        Assert.Equal("fatal", failed.Error!.Kind);
        Assert.Equal("top secret", File.ReadAllText(Path.Join(_outside, "secret.txt")));
        Assert.Equal(["secret.txt"], Directory.GetFiles(_outside).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Read_LinkInsideTheRoots_Followed()
    {
        File.WriteAllText(Path.Join(_root, "real.txt"), "inside");
        File.CreateSymbolicLink(Path.Join(_root, "alias.txt"), Path.Join(_root, "real.txt"));

        var result = await ResultOfAsync(FsReadHandler.TypeName, new { path = "alias.txt" });

        Assert.Equal("inside", result.GetProperty("content").GetString());
    }

    [Fact]
    public async Task AnalysisScan_Project_CountsFilesLinesAndLanguagesSkippingNoise()
    {
        var project = Path.Join(_root, "project");
        Write(project, "src/App.cs", "class A\n{\n}\n");
        Write(project, "src/Tool.cs", "// one\n");
        Write(project, "tools/run.py", "print(1)\nprint(2)");
        Write(project, "README.md", "# Title\n\ntext\n");
        Write(project, "bin/Debug/App.cs", "skipped\n");
        Write(project, "obj/x.cs", "skipped\n");
        Write(project, "node_modules/lib/index.js", "skipped\n");
        Write(project, ".git/HEAD", "ref: refs/heads/main\n");
        Directory.CreateDirectory(Path.Join(project, "img"));
        File.WriteAllBytes(Path.Join(project, "img", "logo.png"), [0x89, 0x50, 0, 0, 1]);

        var result = await ResultOfAsync(AnalysisScanHandler.TypeName, new { path = "project" });

        Assert.Equal((4L, 9L), (result.GetProperty("files").GetInt64(), result.GetProperty("lines").GetInt64()));
        var languages = result.GetProperty("languages").EnumerateArray()
            .ToDictionary(l => l.GetProperty("language").GetString()!, l => (l.GetProperty("files").GetInt64(), l.GetProperty("lines").GetInt64()));
        Assert.Equal((2L, 4L), languages["C#"]);
        Assert.Equal((1L, 2L), languages["Python"]);
        Assert.Equal((1L, 3L), languages["Markdown"]);
        var skipped = result.GetProperty("skipped");
        Assert.Equal((1L, 4L), (skipped.GetProperty("binary").GetInt64(), skipped.GetProperty("folders").GetInt64()));
        Assert.False(result.GetProperty("truncated").GetBoolean());

        var bounded = await ResultOfAsync(AnalysisScanHandler.TypeName, new { path = "project", maxFiles = 2 });
        Assert.True(bounded.GetProperty("truncated").GetBoolean());
    }

    private static void Write(string folder, string relative, string text)
    {
        var path = Path.Join(folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private static string[] Paths(JsonElement scan) =>
        scan.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("path").GetString()!).ToArray();

    private async Task<JsonElement> ResultOfAsync(string type, object payload)
    {
        var task = await Server.SubmitAsync(type, JsonSerializer.Serialize(payload));
        var done = await Server.WaitSettledAsync(task.Id);
        Assert.True(done.State == "completed", $"{type} {done.State}: {done.Error?.Code} {done.Error?.Message}");
        return JsonDocument.Parse(done.Result!.Value.Raw).RootElement;
    }

    private async Task<TaskDto> AssertFailsAsync(string type, object payload, string code, bool ignoreUnknown = false)
    {
        var json = JsonSerializer.Serialize(payload);
        if (ignoreUnknown)
        {
            json = json.Replace(",\"content\":\"overwritten\"", string.Empty, StringComparison.Ordinal);
        }

        var task = await Server.SubmitAsync(type, json, r => r with { MaxAttempts = 3 });
        var done = await Server.WaitSettledAsync(task.Id);
        Assert.Equal(("failed", 1, code), (done.State, done.Attempt, done.Error?.Code));
        return done;
    }
}
