namespace PgStandby.Core.Replication;

/// <summary>The SQL the worker asks of its own standby and of the primary (replication protocol only).</summary>
public interface IStandbyQueries
{
    /// <summary>True once the standby accepts connections (hot standby reached consistency).</summary>
    Task<bool> IsAcceptingConnectionsAsync(CancellationToken cancellationToken);

    Task<ReplicationSample> SampleAsync(CancellationToken cancellationToken);

    /// <summary>How far the standby has replayed, and the timeline its WAL receiver last received; null when it does not accept connections.</summary>
    Task<StandbyPosition?> ReplayPositionAsync(CancellationToken cancellationToken);

    /// <summary>The primary's timeline (IDENTIFY_SYSTEM) over the replication login; its history is not filled in.</summary>
    Task<PrimaryTimeline> PrimaryTimelineAsync(CancellationToken cancellationToken);

    /// <summary>Whether the configured primary's postgres answers a replication login, and whether it runs as a primary.</summary>
    Task<PrimaryAnswer> AskPrimaryAsync(CancellationToken cancellationToken);
}
