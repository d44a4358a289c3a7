using PgStandby.Core.Replication;

namespace PgStandby.Core.Monitoring;

/// <summary>
/// Decides whether a replaying standby is lagging: past PGSTANDBY_MAX_LAG_BYTES or PGSTANDBY_MAX_LAG_SECONDS
/// for PGSTANDBY_LAG_SAMPLES samples in a row, and back within both for as many samples before it is not
/// (hysteresis both ways, so a lag hovering at the limit does not flap).
/// </summary>
public sealed class LagJudge(long maxBytes, TimeSpan maxSeconds, int samples)
{
    private int _over;
    private int _within;

    public bool IsLagging { get; private set; }

    /// <summary>Observes one sample of a replaying standby (streaming or catching up) and returns whether it is lagging.</summary>
    public bool Observe(ReplicationSample sample)
    {
        if (IsPastLimits(sample))
        {
            _over++;
            _within = 0;
        }
        else
        {
            _within++;
            _over = 0;
        }

        if (!IsLagging && _over >= samples)
        {
            IsLagging = true;
        }
        else if (IsLagging && _within >= samples)
        {
            IsLagging = false;
        }

        return IsLagging;
    }

    /// <summary>Forgets the count when the standby is not replaying (restarting, stalled, failing).</summary>
    public void Reset()
    {
        _over = 0;
        _within = 0;
        IsLagging = false;
    }

    public bool IsPastLimits(ReplicationSample sample) =>
        sample.LagBytes > maxBytes || sample.LagSeconds > maxSeconds.TotalSeconds;
}
