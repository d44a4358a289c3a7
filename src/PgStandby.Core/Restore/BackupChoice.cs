using PgStandby.Core.Timelines;
using PgStandby.Core.Postgres;
using PgStandby.Core.Repository;

namespace PgStandby.Core.Restore;

/// <summary>Which backup a re-sync restores, and why.</summary>
public sealed record BackupChoice(BackupEntry? Backup, string Why)
{
    private const ulong DefaultSegmentBytes = 16UL * 1024 * 1024;

    /// <summary>
    /// For a fork, the newest backup on the primary's branch: on the primary's timeline, or on an ancestor the
    /// primary left after the backup's WAL ends (lsn.stop; without it, the end of archive.stop's segment). A backup
    /// taken after the fork on the abandoned timeline would only replay back into it. Without a branch, the newest.
    /// </summary>
    public static BackupChoice Choose(IReadOnlyList<BackupEntry> backups, PrimaryBranch? branch)
    {
        if (backups.Count == 0)
        {
            return new(null, "the repository has no backup");
        }

        if (branch is null)
        {
            return new(backups[^1], "the newest backup");
        }

        for (var i = backups.Count - 1; i >= 0; i--)
        {
            var backup = backups[i];
            if (backup.Timeline is not { } timeline || End(backup) is not { } end || !branch.Holds(timeline, end))
            {
                continue;
            }

            var why = timeline == branch.Timeline
                ? $"the newest backup on the primary's timeline {branch.Timeline}"
                : $"the newest backup on the primary's branch: timeline {timeline}, which the primary's timeline {branch.Timeline} left at {Lsn.Format(branch.LeftAt(timeline)!.SwitchPoint)}, after this backup's WAL ends at {Lsn.Format(end)}";
            return new(backup, i == backups.Count - 1 ? why : $"{why}; the {backups.Count - 1 - i} newer one(s) lie off that branch, past the fork");
        }

        return new(null, $"no backup lies on the primary's timeline {branch.Timeline} or before the point where it left an earlier timeline");
    }

    private static ulong? End(BackupEntry backup)
    {
        if (backup.StopLsn is { } stop)
        {
            return stop;
        }

        return WalSegment.Parse(backup.ArchiveStop) is { } segment
            ? (((ulong)segment.Log * (0x1_0000_0000UL / DefaultSegmentBytes)) + segment.Segment + 1) * DefaultSegmentBytes
            : null;
    }
}
