using Switchyard.Core.Storage;

namespace Switchyard.Storage.Sqlite;

/// <summary>Settings of the embedded store; bound from <c>Sqlite</c>.</summary>
public sealed class SqliteStoreOptions
{
    public const string Section = "Sqlite";
    public const string FileName = "switchyard.db";
    public const int MaxCommandsPerTransactionDefault = 4096;
    public const int CacheSizeKibDefault = 65_536;
    public const int CheckpointFramesDefault = 1_000;

    /// <summary>Folder that holds <c>switchyard.db</c> and its write-ahead log; created if missing.</summary>
    public string DataDirectory { get; set; } = "data";

    public Durability Durability { get; set; } = Durability.Fsync;

    /// <summary>Most commands the writer folds into one transaction (group commit).</summary>
    public int MaxCommandsPerTransaction { get; set; } = MaxCommandsPerTransactionDefault;

    public int CacheSizeKib { get; set; } = CacheSizeKibDefault;

    /// <summary>
    /// Pages added to the write-ahead log after which a thread of its own copies it back into the database file instead
    /// of the writer (see <see cref="SqliteCheckpointer"/>); 0 leaves the checkpoints to SQLite, on the writer, every
    /// 1,000 pages. Unset: 1,000 with <see cref="Durability.Process"/>, 0 with <see cref="Durability.Fsync"/> (where the
    /// checkpoint's syncs beside the commits' own cost more than they save: measured in docs/performance.md).
    /// </summary>
    public int? CheckpointFrames { get; set; }

    /// <summary><see cref="CheckpointFrames"/> as it applies to this durability.</summary>
    public int BackgroundCheckpointFrames => CheckpointFrames ?? (Durability == Durability.Process ? CheckpointFramesDefault : 0);

    public string DatabasePath => Path.GetFullPath(Path.Combine(DataDirectory, FileName));

    /// <summary>What is wrong with these settings, one line per setting (none when they can be used).</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (MaxCommandsPerTransaction is < 1 or > 1_000_000)
        {
            problems.Add($"{nameof(MaxCommandsPerTransaction)} must be between 1 and 1000000");
        }

        if (CacheSizeKib < 0)
        {
            problems.Add($"{nameof(CacheSizeKib)} must not be negative");
        }

        if (CheckpointFrames < 0)
        {
            problems.Add($"{nameof(CheckpointFrames)} must not be negative (0 leaves checkpoints to SQLite)");
        }

        return problems;
    }
}
