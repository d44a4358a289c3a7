using PgStandby.Core.Timelines;

namespace PgStandby.Core.Restore;

/// <summary>Re-syncs a standby from a backup while the worker runs (implemented by <see cref="StandbyResync"/>).</summary>
public interface IStandbyResync
{
    /// <param name="branch">For a fork: the primary's branch; the newest backup on it is restored. Null: the newest backup.</param>
    Task ResyncAsync(string reason, PrimaryBranch? branch, CancellationToken cancellationToken);
}
