using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Health;
using PgStandby.Core.Postgres;
using PgStandby.Core.Processes;
using PgStandby.Core.Timelines;
using PgStandby.Core.Repository;

namespace PgStandby.Core.Restore;

/// <summary>
/// The RestoreService stage: makes PGDATA a complete standby of the stanza, or proves it already is one,
/// or refuses and touches nothing. Postgres is never started while a restore is unfinished.
/// </summary>
public sealed class RestoreCoordinator(
    RepositoryWaiter waiter,
    RestoreRunner restorer,
    PreRestoreChecks checks,
    DataDirectoryOwnership ownership,
    PostgresTools tools,
    LeftoverProcesses leftovers,
    AdoptedPostmaster adopted,
    FolderPreparer folders,
    NodeRole role,
    ArchivedSegments archive,
    HealthState health,
    IOptions<RepositoryOptions> repository,
    IOptions<StandbyOptions> standby,
    IOptions<SupervisionOptions> supervision,
    TimeProvider time,
    ILogger<RestoreCoordinator> logger) : IStandbyResync
{
    private const UnixFileMode DataDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public async Task EnsureStandbyAsync(CancellationToken cancellationToken)
    {
        var options = standby.Value;
        var running = LeftoverProcesses.FindPostmaster(options.DataDirectory);
        if (running is { OnThisDataDirectory: false } foreign)
        {
            throw ForeignPostmaster(foreign.Pid);
        }

        // A killed worker's restore leaves pgbackrest writing into PGDATA: stopped. But while its postgres still runs
        // (adopted below) no restore can be running (pgBackRest refuses one beside a postmaster): every pgbackrest and
        // ssh of this standby then serves that postgres's restore_command, and stopping them stalls or crashes its
        // recovery (the startup process treats a killed restore_command as fatal).
        if (running is null)
        {
            await leftovers.StopPgBackRestAsync(options, leftByEarlierWorker: true, cancellationToken).ConfigureAwait(false);
        }

        await ownership.EnsureReadableAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var inspection = DataDirectoryInspection.Inspect(options.DataDirectory);
            var control = inspection.HasPgControl ? await tools.ReadControlDataAsync(cancellationToken).ConfigureAwait(false) : null;
            var promotion = PromotionRecord.Load(options.StateDirectory);
            var plan = RestorePlanner.Plan(inspection, repository.Value.Stanza, StandbyIdentity.Load(options.StateDirectory), control?.SystemId, promotion);
            Log.RestorePlanned(logger, plan.Action.ToString(), plan.Reason);
            Activity.Current?.SetTag("pgstandby.restore.action", plan.Action.ToString());
            Activity.Current?.SetTag("pgstandby.restore.reason", plan.Reason);

            switch (plan.Action)
            {
                case RestoreAction.Refuse:
                    throw StandbyException.Refused(plan.Reason, plan.Fix);
                case RestoreAction.StartAsPrimary:
                    // Fenced from the old primary: no repository, no SSH, no archive-get; postgres starts without standby.signal.
                    role.BecomePrimary(promotion!);
                    health.SetPromotion(promotion!);
                    Log.StartingAsPrimary(logger, options.DataDirectory, promotion!.Describe());
                    if (running is { } primary)
                    {
                        adopted.Adopt(primary.Pid);
                        Log.PostmasterAdopted(logger, primary.Pid);
                    }

                    return;
                case RestoreAction.StartExisting when running is { } ours:
                    // The worker was restarted but its postgres was not: supervise that one, start no second.
                    adopted.Adopt(ours.Pid);
                    Log.PostmasterAdopted(logger, ours.Pid);
                    return;
                case RestoreAction.StartExisting:
                    ClearArchiveGetSpool();
                    return;
                case RestoreAction.VerifyWithRepository:
                    var known = await waiter.WaitForBackupAsync(cancellationToken).ConfigureAwait(false);
                    var verdict = RestorePlanner.Verify(inspection, repository.Value.Stanza, control!.SystemId, known);
                    Log.RestorePlanned(logger, verdict.Action.ToString(), verdict.Reason);
                    if (verdict.Action == RestoreAction.Refuse)
                    {
                        throw StandbyException.Refused(verdict.Reason, verdict.Fix);
                    }

                    Remember(control.SystemId, inspection.PgVersion!);
                    if (running is { } unverified)
                    {
                        adopted.Adopt(unverified.Pid);
                        Log.PostmasterAdopted(logger, unverified.Pid);
                    }

                    return;
                default:
                    if (running is { } stale)
                    {
                        await leftovers.StopPostmasterAsync(stale.Pid, supervision.Value.StopTimeout, cancellationToken).ConfigureAwait(false);
                        running = null;
                    }

                    ClearArchiveGetSpool();
                    var info = await waiter.WaitForBackupAsync(cancellationToken).ConfigureAwait(false);
                    var delta = plan.Action == RestoreAction.DeltaRestore;

                    // An interrupted re-sync resumes from the backup it chose (before a fork, not the newest).
                    var interrupted = delta && ResyncAttempt.Load(options.StateDirectory) is { Finished: false } attempt ? attempt : null;
                    var reason = interrupted is not null ? $"resuming an interrupted re-sync from backup {interrupted.Backup} (--delta)"
                        : delta ? "resuming an interrupted restore (--delta)" : "restoring";
                    if (await RestoreAsync(delta, info, interrupted?.Backup, StandbyState.Restoring, reason, cancellationToken).ConfigureAwait(false))
                    {
                        if (interrupted is not null)
                        {
                            RememberAttempt(interrupted with { Finished = true });
                        }

                        return;
                    }

                    await Task.Delay(supervision.Value.RetryInterval, time, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }

    /// <summary>
    /// Re-syncs a standby that cannot go on (its primary's timeline forked, a WAL gap, or the operator's
    /// reinit): a --delta restore, which rewrites only what differs, from the newest backup or, for a fork, from
    /// the newest backup on the primary's branch. A backup whose re-sync already led back here (remembered in
    /// PGSTANDBY_STATE_DIR, across restarts) is not restored again: the worker waits for a newer one.
    /// </summary>
    public async Task ResyncAsync(string reason, PrimaryBranch? branch, CancellationToken cancellationToken)
    {
        var options = standby.Value;
        Log.ResyncStarting(logger, reason);
        Activity.Current?.SetTag("pgstandby.resync.reason", reason);
        health.Set(StandbyState.Resyncing, reason, "none: wait; the standby starts again when the re-sync completes");
        await StopLeftoversAsync(cancellationToken).ConfigureAwait(false);
        ClearArchiveGetSpool();
        var backupNeeded = $"on the primary, as postgres: pgbackrest --stanza={repository.Value.Stanza} --type=full backup; the worker re-syncs from it by itself";
        while (true)
        {
            var info = await waiter.WaitForBackupAsync(cancellationToken).ConfigureAwait(false);
            var choice = BackupChoice.Choose(info.Backups.Count > 0 ? info.Backups : Newest(info), branch);
            if (choice.Backup is not { } backup)
            {
                health.Set(StandbyState.WaitingForBackup, $"cannot re-sync ({reason}): {choice.Why}", backupNeeded);
                await Task.Delay(supervision.Value.RetryInterval, time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (ResyncAttempt.Load(options.StateDirectory) is { } tried && tried.Repeats(backup.Label, branch?.Timeline))
            {
                // Re-syncing from this backup already led back here: it lies past the fork (or before the gap).
                // Restoring it again and again would only loop; a newer backup is needed.
                health.Set(
                    StandbyState.WaitingForBackup,
                    $"re-syncing from backup {backup.Label} did not help ({reason}): that backup cannot get past the problem; a newer backup is needed",
                    backupNeeded);
                await Task.Delay(supervision.Value.RetryInterval, time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (branch is not null && await ForkSegmentNotArchivedAsync(branch, backup, cancellationToken).ConfigureAwait(false) is { } missing)
            {
                health.Set(
                    StandbyState.Resyncing,
                    $"{reason}: waiting for the primary to archive {missing}, its first WAL after the fork, before restoring backup {backup.Label}: replayed from that backup before then, the standby would follow the abandoned timeline's WAL past the fork again",
                    "none: the primary archives it once the segment fills (SELECT pg_switch_wal() on the primary archives it at once)");
                await Task.Delay(supervision.Value.RetryInterval, time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            Log.ResyncBackupChosen(logger, backup.Label, choice.Why);
            var set = backup.Label == info.NewestBackup ? null : backup.Label;
            RememberAttempt(new ResyncAttempt(backup.Label, branch?.Timeline, reason, time.GetUtcNow(), Finished: false));
            if (await RestoreAsync(DeltaPossible(), info, set, StandbyState.Resyncing, "re-syncing (--delta): " + reason, cancellationToken).ConfigureAwait(false))
            {
                RememberAttempt(new ResyncAttempt(backup.Label, branch?.Timeline, reason, time.GetUtcNow(), Finished: true));
                return;
            }

            await Task.Delay(supervision.Value.RetryInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The segment of the primary's branch that holds the fork point, when the backup lies before the fork and the archive lacks it.</summary>
    private async Task<WalSegment?> ForkSegmentNotArchivedAsync(PrimaryBranch branch, BackupEntry backup, CancellationToken cancellationToken)
    {
        if (backup.Timeline is not { } timeline || branch.ChildOf(timeline) is not { } child)
        {
            return null;
        }

        var control = await tools.ReadControlDataAsync(cancellationToken).ConfigureAwait(false);
        var segment = WalSegment.Of(child.Timeline, child.SwitchPoint, control?.WalSegmentBytes);
        return await archive.ContainsAsync(segment, cancellationToken).ConfigureAwait(false) is false ? segment : null;
    }

    /// <summary>An info without the backup list (a test double): its newest backup alone.</summary>
    private static List<BackupEntry> Newest(RepositoryInfo info) =>
        info.NewestBackup is { } label ? [new BackupEntry(label, null, null, null, null, info.NewestBackupSize)] : [];

    /// <summary>
    /// <c>pgstandby reinit --yes</c>: the operator's way out of a refusal. PGDATA is re-synced from the newest
    /// backup whatever it holds; files pgBackRest cannot delta over (no PG_VERSION) are removed first.
    /// </summary>
    public async Task ReinitAsync(CancellationToken cancellationToken)
    {
        var options = standby.Value;
        await StopLeftoversAsync(cancellationToken).ConfigureAwait(false);
        var inspection = DataDirectoryInspection.Inspect(options.DataDirectory);
        if (!inspection.IsEmpty && !DeltaPossible())
        {
            foreach (var entry in new DirectoryInfo(options.DataDirectory).EnumerateFileSystemInfos())
            {
                if (entry is DirectoryInfo folder)
                {
                    folder.Delete(recursive: true);
                }
                else
                {
                    entry.Delete();
                }
            }
        }

        // The operator asks for the newest backup whatever an earlier re-sync tried.
        foreach (var forgotten in new[] { StandbyIdentity.FileName, ResyncAttempt.FileName })
        {
            var path = Path.Combine(options.StateDirectory, forgotten);
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }

        await ResyncAsync("pgstandby reinit --yes: the operator asked to re-sync PGDATA from the newest backup", null, cancellationToken).ConfigureAwait(false);

        // A standby again: the next start follows the configured primary, whatever this node was promoted to.
        PromotionRecord.Delete(options.StateDirectory);
    }

    /// <summary>pgBackRest only runs --delta where PG_VERSION or backup.manifest shows a data directory.</summary>
    private bool DeltaPossible()
    {
        var inspection = DataDirectoryInspection.Inspect(standby.Value.DataDirectory);
        return inspection.PgVersion is not null || inspection.HasBackupManifest;
    }

    /// <summary>pgBackRest's asynchronous archive-get queue must start empty (archive-missing-retry=n).</summary>
    private void ClearArchiveGetSpool() => ArchiveGetSpool.Clear(standby.Value.PgBackRestSpoolPath, repository.Value.Stanza);

    /// <summary>Before a re-sync or reinit: no pgbackrest and no postgres of ours may still run on PGDATA.</summary>
    private async Task StopLeftoversAsync(CancellationToken cancellationToken)
    {
        var options = standby.Value;
        await leftovers.StopPgBackRestAsync(options, leftByEarlierWorker: false, cancellationToken).ConfigureAwait(false);
        switch (LeftoverProcesses.FindPostmaster(options.DataDirectory))
        {
            case { OnThisDataDirectory: false } foreign:
                throw ForeignPostmaster(foreign.Pid);
            case { } ours:
                await leftovers.StopPostmasterAsync(ours.Pid, supervision.Value.StopTimeout, cancellationToken).ConfigureAwait(false);
                adopted.Release();
                break;
        }
    }

    private StandbyException ForeignPostmaster(int pid) => StandbyException.Refused(
        $"{standby.Value.DataDirectory}/postmaster.pid names process {pid}, which is running but is not a postgres of this data directory",
        "stop that process (or remove a postmaster.pid you know to be stale), then start pgstandby again");

    /// <summary>Returns true when PGDATA now holds a complete standby; false after a transient failure worth a retry.</summary>
    /// <param name="set">The backup to restore (--set) when not the newest one.</param>
    private async Task<bool> RestoreAsync(bool delta, RepositoryInfo info, string? set, StandbyState state, string what, CancellationToken cancellationToken)
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

        var label = set ?? info.NewestBackup;
        var bytesOf = set is null ? info.NewestBackupSize : info.Backups.FirstOrDefault(b => b.Label == set)?.Size;
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
            (exitCode, tail) = await restorer.RunAsync(delta, set, cancellationToken).ConfigureAwait(false);
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

        Remember(control.SystemId, RestorePlanner.SupportedVersion);
        return true;
    }

    private void Remember(ulong systemId, string version)
    {
        var options = standby.Value;
        folders.EnsureFolder(options.StateDirectory, DataDirectoryMode);
        var identity = new StandbyIdentity(repository.Value.Stanza, systemId, version);
        folders.WriteOwnedFile(Path.Combine(options.StateDirectory, StandbyIdentity.FileName), identity.ToJson(), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Log.IdentityRemembered(logger, identity.Stanza, systemId);
    }

    private void RememberAttempt(ResyncAttempt attempt)
    {
        var options = standby.Value;
        folders.EnsureFolder(options.StateDirectory, DataDirectoryMode);
        folders.WriteOwnedFile(Path.Combine(options.StateDirectory, ResyncAttempt.FileName), attempt.ToJson(), UnixFileMode.UserRead | UnixFileMode.UserWrite);
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
