using PgStandby.Core.Replication;

namespace PgStandby.Core.Monitoring;

/// <summary>
/// Replay that does not advance for the stall timeout while the primary is ahead and nothing streams:
/// a WAL segment the archive does not have (a gap). Transient outages alone never count: the primary
/// (or, when it cannot be asked, the archive's newest WAL on replay's timeline) must be known to be ahead,
/// and the replayed position must not move at all.
/// </summary>
public sealed class StallDetector(TimeProvider time, TimeSpan timeout)
{
    private string? _replayed;
    private DateTimeOffset _since;

    /// <summary>Seconds replay has been stuck, when that is past the timeout; otherwise null.</summary>
    public TimeSpan? Observe(ReplicationSample sample)
    {
        var now = time.GetUtcNow();
        var behind = (sample.PrimaryLsnKnown || sample.LagAgainstArchive) && sample.LagBytes > 0 && sample.WalReceiverStatus != "streaming" && !sample.RecoveryPaused;
        if (!behind || sample.ReplayedLsn != _replayed)
        {
            _replayed = sample.ReplayedLsn;
            _since = now;
            return null;
        }

        var stuck = now - _since;
        return stuck >= timeout ? stuck : null;
    }
}
