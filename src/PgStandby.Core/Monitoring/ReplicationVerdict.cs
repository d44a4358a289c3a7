using PgStandby.Core.Diagnostics;
using PgStandby.Core.Replication;

namespace PgStandby.Core.Monitoring;

/// <summary>Turns a replication sample of a standby in recovery into the state, reason and next step an operator sees (a promoted node is the recorder's).</summary>
public static class ReplicationVerdict
{
    public static (StandbyState State, string Reason, string NextStep) Decide(ReplicationSample sample, string primary)
    {
        var paused = sample.RecoveryPaused ? "; recovery is PAUSED (pg_wal_replay_pause): WAL is received but not replayed" : string.Empty;
        var resume = sample.RecoveryPaused ? "run SELECT pg_wal_replay_resume() on the standby to resume replay" : "none";
        if (sample.WalReceiverStatus == "streaming")
        {
            return (StandbyState.Streaming, $"streaming from {sample.SenderHost ?? primary}{paused}", resume);
        }

        var why = sample.StreamingProblem ?? $"the WAL receiver is {sample.WalReceiverStatus ?? "not running"}";
        return (StandbyState.CatchingUpFromArchive,
            $"streaming unavailable: {why}, replaying from the archive only{paused}",
            sample.RecoveryPaused
                ? resume
                : $"none if this is temporary; otherwise check that {primary} accepts replication connections from this host (PG_PRIMARY_HOST, PG_PRIMARY_PORT, PG_REPLICATION_USER, PG_REPLICATION_PASSWORD, the primary's pg_hba.conf)");
    }
}
