namespace PgStandby.Core.Replication;

/// <summary>One look at the standby's replication, taken through Npgsql.</summary>
public sealed record ReplicationSample(
    bool InRecovery,
    string? ReceivedLsn,
    string? ReplayedLsn,
    long? LagBytes,
    double? LagSeconds,
    string? WalReceiverStatus,
    string? SenderHost,
    bool PrimaryLsnKnown);
