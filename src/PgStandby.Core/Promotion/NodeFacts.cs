namespace PgStandby.Core.Promotion;

/// <summary>What the local postgres says of itself, through its socket.</summary>
/// <param name="InRecovery">pg_is_in_recovery().</param>
/// <param name="SystemId">pg_control_system()'s system identifier.</param>
/// <param name="Timeline">The timeline it writes on (from pg_current_wal_lsn()'s file name); null in recovery.</param>
/// <param name="ReplayedLsn">pg_last_wal_replay_lsn(): how far recovery got (kept after a promotion).</param>
/// <param name="ReadOnly">default_transaction_read_only: a primary that refuses writes by default.</param>
public sealed record NodeFacts(bool InRecovery, ulong SystemId, int? Timeline, string? ReplayedLsn, bool ReadOnly);
