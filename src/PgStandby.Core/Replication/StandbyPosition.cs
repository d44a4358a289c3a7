namespace PgStandby.Core.Replication;

/// <summary>pg_last_wal_replay_lsn(), and pg_stat_wal_receiver.received_tli when a WAL receiver runs.</summary>
public sealed record StandbyPosition(ulong ReplayedLsn, int? ReceivedTimeline);
