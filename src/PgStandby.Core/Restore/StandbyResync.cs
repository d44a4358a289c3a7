using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Health;
using PgStandby.Core.Postgres;
using PgStandby.Core.Repository;
using PgStandby.Core.Timelines;

namespace PgStandby.Core.Restore;

/// <summary>
/// Re-syncs a standby while the worker runs (a fork, a gap) or when the operator asks (reinit): which backup, when
/// to wait for a newer one or for the primary to archive past a fork, and the --delta restore itself.
/// </summary>
public sealed class StandbyResync(
    RepositoryWaiter waiter,
    IBackupRestore restore,
    StandbyProcesses processes,
    StandbyMemory memory,
    PostgresTools tools,
    ArchivedSegments archive,
    HealthState health,
    IOptions<RepositoryOptions> repository,
    IOptions<StandbyOptions> standby,
    IOptions<SupervisionOptions> supervision,
    TimeProvider time,
    ILogger<StandbyResync> logger) : IStandbyResync
{
    /// <summary>
    /// Re-syncs a standby that cannot go on (its primary's timeline forked, a WAL gap, or the operator's
    /// reinit): a --delta restore, which rewrites only what differs, from the newest backup or, for a fork, from
    /// the newest backup on the primary's branch. A backup whose re-sync already led back here (remembered in
    /// PGSTANDBY_STATE_DIR, across restarts) is not restored again: the worker waits for a newer one.
    /// </summary>
    public async Task ResyncAsync(string reason, PrimaryBranch? branch, CancellationToken cancellationToken)
    {
        Log.ResyncStarting(logger, reason);
        Activity.Current?.SetTag("pgstandby.resync.reason", reason);
        health.Set(StandbyState.Resyncing, reason, "none: wait; the standby starts again when the re-sync completes");
        await processes.StopAsync(cancellationToken).ConfigureAwait(false);
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

            if (memory.LastResync is { } tried && tried.Repeats(backup.Label, branch?.Timeline))
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
            memory.Remember(new ResyncAttempt(backup.Label, branch?.Timeline, reason, time.GetUtcNow(), Finished: false));
            if (await restore.RestoreAsync(restore.DeltaPossible(), info, set, StandbyState.Resyncing, "re-syncing (--delta): " + reason, cancellationToken).ConfigureAwait(false))
            {
                memory.Remember(new ResyncAttempt(backup.Label, branch?.Timeline, reason, time.GetUtcNow(), Finished: true));
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
        await processes.StopAsync(cancellationToken).ConfigureAwait(false);
        var inspection = DataDirectoryInspection.Inspect(options.DataDirectory);
        if (!inspection.IsEmpty && !restore.DeltaPossible())
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
        memory.ForgetIdentityAndResyncs();

        await ResyncAsync("pgstandby reinit --yes: the operator asked to re-sync PGDATA from the newest backup", null, cancellationToken).ConfigureAwait(false);

        // A standby again: the next start follows the configured primary, whatever this node was promoted to.
        PromotionRecord.Delete(options.StateDirectory);
    }
}
