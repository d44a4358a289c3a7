using PgStandby.Core.Diagnostics;
using PgStandby.Core.Repository;

namespace PgStandby.Core.Restore;

/// <summary>Restores one backup into PGDATA (<see cref="BackupRestore"/>).</summary>
public interface IBackupRestore
{
    /// <summary>Returns true when PGDATA now holds a complete standby; false after a transient failure worth a retry.</summary>
    /// <param name="delta">--delta: rewrite only what differs (a resumed restore, a re-sync).</param>
    /// <param name="backupSet">The backup to restore (--set) when not the newest one.</param>
    /// <param name="state">The state shown while it runs (restoring, resyncing).</param>
    /// <param name="what">Why, for the state's reason.</param>
    Task<bool> RestoreAsync(bool delta, RepositoryInfo info, string? backupSet, StandbyState state, string what, CancellationToken cancellationToken);

    /// <summary>pgBackRest only runs --delta where PG_VERSION or backup.manifest shows a data directory.</summary>
    bool DeltaPossible();
}
