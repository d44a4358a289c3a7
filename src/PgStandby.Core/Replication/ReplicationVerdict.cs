using PgStandby.Core.Health;

namespace PgStandby.Core.Replication;

/// <summary>Turns a replication sample into the state, reason and next step an operator sees.</summary>
public static class ReplicationVerdict
{
    public static (StandbyState State, string Reason, string NextStep) Decide(ReplicationSample sample, string primary)
    {
        if (!sample.InRecovery)
        {
            return (StandbyState.Failing,
                "postgres is no longer in recovery: this data directory was promoted and is not a standby any more",
                "if the promotion was intended, stop pgstandby and run this server as a primary; otherwise re-create the standby from a backup");
        }

        if (sample.WalReceiverStatus == "streaming")
        {
            return (StandbyState.Streaming, $"streaming from {sample.SenderHost ?? primary}", "none");
        }

        return (StandbyState.CatchingUpFromArchive,
            $"replaying WAL from the pgBackRest archive; not streaming from {primary} (WAL receiver: {sample.WalReceiverStatus ?? "not running"})",
            $"none if this is temporary; otherwise check that {primary} accepts replication connections from this host (pg_hba.conf, PG_REPLICATION_USER, PG_REPLICATION_PASSWORD)");
    }
}
