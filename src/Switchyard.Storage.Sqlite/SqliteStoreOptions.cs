using Switchyard.Core.Storage;

namespace Switchyard.Storage.Sqlite;

/// <summary>Settings of the embedded store; bound from <c>Sqlite</c>.</summary>
public sealed class SqliteStoreOptions
{
    public const string Section = "Sqlite";
    public const string FileName = "switchyard.db";
    public const int MaxCommandsPerTransactionDefault = 4096;
    public const int CacheSizeKibDefault = 65_536;

    /// <summary>Folder that holds <c>switchyard.db</c> and its write-ahead log; created if missing.</summary>
    public string DataDirectory { get; set; } = "data";

    public Durability Durability { get; set; } = Durability.Fsync;

    /// <summary>Most commands the writer folds into one transaction (group commit).</summary>
    public int MaxCommandsPerTransaction { get; set; } = MaxCommandsPerTransactionDefault;

    public int CacheSizeKib { get; set; } = CacheSizeKibDefault;

    public string DatabasePath => Path.GetFullPath(Path.Combine(DataDirectory, FileName));
}
