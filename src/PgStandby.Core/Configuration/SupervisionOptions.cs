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

    /// <summary>PGSTANDBY_MAX_LAG_BYTES: replay lag in bytes past which the standby is lagging (after LagSamples samples).</summary>
    public long MaxLagBytes { get; set; } = 1L << 30;

    /// <summary>PGSTANDBY_MAX_LAG_SECONDS: replay lag in seconds past which the standby is lagging (after LagSamples samples).</summary>
    public TimeSpan MaxLagSeconds { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>PGSTANDBY_LAG_SAMPLES: consecutive samples past (or back within) the limits before the state changes.</summary>
    public int LagSamples { get; set; } = 3;

    /// <summary>PGSTANDBY_METRICS_LISTEN: host:port of the opt-in Prometheus endpoint (/metrics); null (off) by default.</summary>
    public string? MetricsListen { get; set; }

    /// <summary>PGSTANDBY_LOG_FORMAT: text (one line per event) or json (one JSON object per line).</summary>
    public string LogFormat { get; set; } = "text";

    public IList<string> Problems { get; } = [];
}
