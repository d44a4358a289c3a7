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
    bool PrimaryLsnKnown)
{
    /// <summary>pg_is_wal_replay_paused(): someone paused replay; it resumes with pg_wal_replay_resume().</summary>
    public bool RecoveryPaused { get; init; }

    /// <summary>Why the replication login to the primary fails (IDENTIFY_SYSTEM), when it does.</summary>
    public string? StreamingProblem { get; init; }

    /// <summary>Seconds since the last replayed transaction committed on the primary (now() - pg_last_xact_replay_timestamp()), idle or not.</summary>
    public double? LastReplayAgeSeconds { get; init; }
}
