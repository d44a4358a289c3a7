namespace PgStandby.Core.Configuration;

/// <summary>Timing of retries, monitoring and shutdown. Whole seconds in the environment.</summary>
public sealed class SupervisionOptions : IBoundOptions
{
    /// <summary>PGSTANDBY_RETRY_SECONDS: pause between checks while waiting on the operator or the primary.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>PGSTANDBY_MONITOR_SECONDS: pause between replication lag samples.</summary>
    public TimeSpan MonitorInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>PGSTANDBY_STOP_TIMEOUT_SECONDS: how long postgres gets for its fast shutdown.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>PGSTANDBY_STALL_TIMEOUT: replay not advancing this long while the primary moves on is state stalled.</summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>PGSTANDBY_RESYNC_ON_GAP: when stalled, re-sync from a newer backup (--delta) by itself.</summary>
    public bool ResyncOnGap { get; set; }

    public IList<string> Problems { get; } = [];
}
