using PgStandby.Core.Replication;

namespace PgStandby.Core.Monitoring;

/// <summary>What the lag is measured against when the primary's position cannot be asked: the repository's newest archived WAL.</summary>
public interface IArchiveTarget
{
    /// <summary>
    /// <paramref name="sample"/>, with its lag measured against the archive's newest WAL when the primary cannot be asked
    /// (its replication login fails) and that WAL is known; otherwise unchanged. Never waits for the repository: it is
    /// asked in the background, at the slow pace. Never throws.
    /// </summary>
    ReplicationSample Measure(ReplicationSample sample, CancellationToken stoppingToken);
}
