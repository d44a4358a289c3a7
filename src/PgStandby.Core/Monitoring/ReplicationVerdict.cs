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

        // The figures stay out of the reason (one log line per change of reason), the timelines in: they rarely change.
        var why = sample.StreamingProblem ?? $"the WAL receiver is {sample.WalReceiverStatus ?? "not running"}";
        var against = sample switch
        {
            { LagAgainstArchive: true } => "; the primary's position cannot be asked, so the lag is measured against the archive's newest WAL",
            { ArchiveOnAnotherTimeline: true } => $"; the archive's newest WAL is on timeline {sample.ArchiveNewest!.Timeline}, not on replay's timeline {sample.ReplayTimeline}: a fork to look into (or a timeline switch replay has not reached yet), so the lag is unknown",
            _ => string.Empty,
        };
        var fork = sample.ArchiveOnAnotherTimeline
            ? $"find out why the archive's newest WAL is on timeline {sample.ArchiveNewest!.Timeline} (a promotion or a restore on the primary's side?): postgres follows a timeline that branched after replay's position by itself, a standby on a branch the primary left needs pgstandby reinit --yes; and "
            : string.Empty;
        return (StandbyState.CatchingUpFromArchive,
            $"streaming unavailable: {why}, replaying from the archive only{against}{paused}",
            sample.RecoveryPaused
                ? resume
                : $"{(fork.Length == 0 ? "none if this is temporary; otherwise " : fork)}check that {primary} accepts replication connections from this host (PG_PRIMARY_HOST, PG_PRIMARY_PORT, PG_REPLICATION_USER, PG_REPLICATION_PASSWORD, the primary's pg_hba.conf)");
    }
}
