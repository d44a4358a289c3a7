namespace PgStandby.Core.Restore;

/// <summary>Re-syncs a standby from the newest backup while the worker runs (implemented by <see cref="RestoreCoordinator"/>).</summary>
public interface IStandbyResync
{
    Task ResyncAsync(string reason, CancellationToken cancellationToken);
}
