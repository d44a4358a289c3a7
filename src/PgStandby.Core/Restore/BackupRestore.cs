using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Health;
using PgStandby.Core.Postgres;
using PgStandby.Core.Processes;
using PgStandby.Core.Repository;

namespace PgStandby.Core.Restore;

/// <summary>
/// Restores one backup into PGDATA: the pre-restore checks, <c>pgbackrest restore</c>, what its failure means (a full
/// disk, a primary gone for now, or a failure to report), and the restored system's identity, remembered.
/// </summary>
public sealed class BackupRestore(
    RestoreRunner restorer,
    PreRestoreChecks checks,
    PostgresTools tools,
    LeftoverProcesses leftovers,
    FolderPreparer folders,
    StandbyMemory memory,
    HealthState health,
    IOptions<RepositoryOptions> repository,
    IOptions<StandbyOptions> standby,
    TimeProvider time,
    ILogger<BackupRestore> logger) : IBackupRestore
{
    private const UnixFileMode DataDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public async Task<bool> RestoreAsync(bool delta, RepositoryInfo info, string? backupSet, StandbyState state, string what, CancellationToken cancellationToken)
    {
        var options = standby.Value;
        var host = repository.Value.PrimaryHost;
        folders.EnsureFolder(options.DataDirectory, DataDirectoryMode);
        RemoveEmptyLostAndFound(options.DataDirectory);

        // Both checks at once: each runs a command here (pgbackrest version, df), neither depends on the other.
        var room = delta ? Task.FromResult<string?>(null) : checks.FindRoomProblemAsync(info, cancellationToken);
        await checks.EnsureSameVersionAsync(info, cancellationToken).ConfigureAwait(false);
        if (await room.ConfigureAwait(false) is { } problem)
        {
            health.Set(StandbyState.DiskFull, problem, $"make room on {options.DataDirectory}'s file system (or give it a larger volume); the restore starts by itself once the backup fits");
            return false;
        }

        var label = backupSet ?? info.NewestBackup;
        var bytesOf = backupSet is null ? info.NewestBackupSize : info.Backups.FirstOrDefault(b => b.Label == backupSet)?.Size;
        var size = bytesOf is { } bytes ? $"{bytes / 1024.0 / 1024.0:0.0} MiB" : "size unknown";
        Log.RestoreStarting(logger, delta ? "delta" : "full", label ?? "?", size, options.ProcessMax);
        health.Set(
            state,
            $"{what}: backup {label} ({size}) of stanza {repository.Value.Stanza} from {host}",
            "none: wait; postgres starts when the restore completes, and a stopped restore resumes on the next start");

        var started = time.GetTimestamp();
        int exitCode;
        string tail;
        try
        {
            (exitCode, tail) = await restorer.RunAsync(delta, backupSet, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (cancellationToken.IsCancellationRequested)
            {
                // SIGINT reaches the main pgbackrest only: its restore:local workers and their ssh go on writing.
                await leftovers.StopPgBackRestAsync(options, leftByEarlierWorker: false, CancellationToken.None).ConfigureAwait(false);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (exitCode != 0)
        {
            var description = PgBackRestErrors.Describe(exitCode);
            Log.RestoreFailed(logger, description, tail);
            var full = tail.Contains("No space left on device", StringComparison.Ordinal)
                ? $"{options.DataDirectory}'s file system is full"
                : await checks.FindFullFileSystemAsync(cancellationToken).ConfigureAwait(false);
            if (full is not null)
            {
                health.Set(StandbyState.DiskFull, $"the restore stopped: {full}: {tail}", $"make room on {options.DataDirectory}'s file system; the restore resumes by itself with --delta");
                return false;
            }

            if (PgBackRestErrors.IsTransient(exitCode, tail))
            {
                health.Set(StandbyState.WaitingForPrimary, $"the restore stopped: {description}: {tail}", "none if the primary comes back; the restore resumes with --delta");
                return false;
            }

            throw StandbyException.Failing($"pgbackrest restore failed: {description}: {tail}", $"read {options.PgBackRestLogPath} and the lines above; the next start resumes the restore with --delta");
        }

        Log.RestoreFinished(logger, time.GetElapsedTime(started));
        var control = await tools.ReadControlDataAsync(cancellationToken).ConfigureAwait(false)
            ?? throw StandbyException.Failing($"pg_controldata cannot read {options.DataDirectory} after the restore", "read the lines above and start pgstandby again: the restore resumes with --delta");
        if (info.SystemId is { } expected && expected != control.SystemId)
        {
            throw StandbyException.Refused($"the restored data has system {control.SystemId} but stanza {repository.Value.Stanza} reports {expected}", "check the primary's pgBackRest repository (pgbackrest info)");
        }

        memory.Remember(control.SystemId, RestorePlanner.SupportedVersion);
        return true;
    }

    public bool DeltaPossible()
    {
        var inspection = DataDirectoryInspection.Inspect(standby.Value.DataDirectory);
        return inspection.PgVersion is not null || inspection.HasBackupManifest;
    }

    /// <summary>A fresh ext4 volume holds an empty lost+found, which pgBackRest counts as "not empty"; an empty one is safe to remove.</summary>
    private static void RemoveEmptyLostAndFound(string dataDirectory)
    {
        var lostAndFound = Path.Combine(dataDirectory, "lost+found");
        if (Directory.Exists(lostAndFound) && !Directory.EnumerateFileSystemEntries(lostAndFound).Any())
        {
            Directory.Delete(lostAndFound);
        }
    }
}
