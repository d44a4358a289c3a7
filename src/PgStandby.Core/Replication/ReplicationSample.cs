using PgStandby.Core.Postgres;

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

    /// <summary>
    /// The timeline replay is on, as far as the standby tells: the newest of pg_control's checkpoint and minimum
    /// recovery timelines, the WAL receiver's, and the segments in pg_wal (a standby keeps each segment it restores
    /// from the archive there under its own name, so a switch to a newer timeline shows there at once, while
    /// pg_control catches up with it only when a page replayed on it is written).
    /// </summary>
    public int? ReplayTimeline { get; init; }

    /// <summary>wal_segment_size in bytes.</summary>
    public long? WalSegmentBytes { get; init; }

    /// <summary>
    /// The archive's newest segment (pgbackrest info's archive max), when the primary's position cannot be asked and
    /// the archive was asked instead: <see cref="LagBytes"/> is then measured against its end, on the replay timeline only.
    /// </summary>
    public WalSegment? ArchiveNewest { get; init; }

    /// <summary>The lag is known, and measured against the archive's newest WAL instead of the primary's position.</summary>
    public bool LagAgainstArchive => ArchiveNewest is not null && LagBytes is not null;

    /// <summary>The archive's newest WAL is on another timeline than replay: a fork to look into, not a lag.</summary>
    public bool ArchiveOnAnotherTimeline => ArchiveNewest is { } newest && ReplayTimeline is { } timeline && newest.Timeline != timeline;
}
