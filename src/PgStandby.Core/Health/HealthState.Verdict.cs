using PgStandby.Core.Diagnostics;

namespace PgStandby.Core.Health;

/// <summary>The worker's verdict, recomputed on every write and on every heartbeat, with the time it stays valid.</summary>
public sealed partial class HealthState
{
    /// <summary>Written this many monitor intervals apart at most; a status older than that (plus a margin) is stale.</summary>
    public const int StaleAfterIntervals = 3;

    private static readonly TimeSpan StaleMargin = TimeSpan.FromSeconds(10);

    private DateTimeOffset? _progressAt;

    /// <summary>Records how far a restore has got; any advance counts as progress for the health verdict.</summary>
    public void ReportRestoreProgress(double percent, long? bytesDone, long? bytesTotal)
    {
        lock (_gate)
        {
            if (_current.RestorePercent != percent || _current.RestoreBytesDone != bytesDone)
            {
                _progressAt = _time.GetUtcNow();
            }
        }

        Update(s => s with { RestorePercent = percent, RestoreBytesDone = bytesDone, RestoreBytesTotal = bytesTotal });
    }

    /// <summary>The restore moves although no file finished since the last report (PGDATA grew): healthy, figures unchanged.</summary>
    public void ReportRestoreActivity()
    {
        lock (_gate)
        {
            _progressAt = _time.GetUtcNow();
        }

        Heartbeat();
    }

    /// <summary>
    /// Rewrites the status with a fresh verdict and <c>updated_at</c>: every monitor interval, whatever the stage,
    /// so that a restore which stops moving turns unhealthy and a hung worker turns stale.
    /// </summary>
    public void Heartbeat() => Update(s => s);

    private static bool IsRestoring(StandbyState state) => state is StandbyState.Restoring or StandbyState.Resyncing;

    /// <summary>Restoring or re-syncing is healthy while it moves: Swarm kills unhealthy containers, and a restore killed halfway is the worst outcome.</summary>
    private bool IsHealthy(StandbyState state, DateTimeOffset since, DateTimeOffset now)
    {
        if (IsRestoring(state))
        {
            var moved = _progressAt is { } progress && progress > since ? progress : since;
            return now - moved < _supervision.Value.StallTimeout;
        }

        return IsHealthy(state);
    }

    private StatusSnapshot Stamp(StatusSnapshot snapshot, DateTimeOffset now)
    {
        var state = StandbyStateNames.Parse(snapshot.State) ?? StandbyState.Starting;
        var healthy = IsHealthy(state, snapshot.Since, now);
        return snapshot with
        {
            Healthy = healthy,
            Ready = healthy && IsReady(state),
            UpdatedAt = now,
            StaleAfter = now + (_supervision.Value.MonitorInterval * StaleAfterIntervals) + StaleMargin,
        };
    }
}
