using PgStandby.Core.Processes;

namespace PgStandby.Core.Restore;

/// <summary>What PGDATA holds, read from the file system alone.</summary>
public sealed record DataDirectoryInspection(
    string Path,
    bool IsEmpty,
    bool HasBackupManifest,
    string? PgVersion,
    bool HasStandbySignal,
    bool HasPgControl,
    bool HasPostmasterPid,
    IReadOnlyList<string> SampleEntries)
{
    /// <summary>An empty folder, a missing one, or one holding only lost+found (a fresh volume).</summary>
    public static DataDirectoryInspection Inspect(string path)
    {
        var entries = Directory.Exists(path)
            ? Directory.EnumerateFileSystemEntries(path).Select(System.IO.Path.GetFileName).OfType<string>()
                .Where(n => n != "lost+found").Order(StringComparer.Ordinal).ToList()
            : [];
        var versionFile = System.IO.Path.Combine(path, "PG_VERSION");
        return new DataDirectoryInspection(
            path,
            entries.Count == 0,
            entries.Contains("backup.manifest"),
            // postgres owns PGDATA: a link planted at PG_VERSION must not make a root worker read (and log) another file.
            SafeFile.ReadText(versionFile)?.Trim(),
            entries.Contains("standby.signal"),
            File.Exists(System.IO.Path.Combine(path, "global", "pg_control")),
            entries.Contains("postmaster.pid"),
            entries.Take(5).ToList());
    }
}
