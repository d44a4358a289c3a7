namespace PgStandby.Core.Replication;

/// <summary>The SQL the worker asks of its own standby and of the primary (replication protocol only).</summary>
public interface IStandbyQueries
{
    /// <summary>True once the standby accepts connections (hot standby reached consistency).</summary>
    Task<bool> IsAcceptingConnectionsAsync(CancellationToken cancellationToken);

    Task<ReplicationSample> SampleAsync(CancellationToken cancellationToken);
}
