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

    public IList<string> Problems { get; } = [];
}
