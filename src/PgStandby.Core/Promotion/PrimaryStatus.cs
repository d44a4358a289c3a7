using PgStandby.Core.Postgres;

namespace PgStandby.Core.Promotion;

/// <summary>The reason and next step of the <c>primary</c> state.</summary>
public static class PrimaryStatus
{
    public static (string Reason, string NextStep) Describe(PromotionRecord promotion, bool oldPrimaryWritable, string oldPrimary)
    {
        var reason = $"this node is a primary: {promotion.Describe()}; it has no WAL archive or backups yet";
        if (oldPrimaryWritable)
        {
            return (
                reason + $"; the OLD PRIMARY {oldPrimary} ANSWERS AS A PRIMARY AGAIN: clients writing there diverge from this node",
                $"stop the old primary {oldPrimary} (or cut it off) and point every client at this node; rebuild the old one as a standby of this node later");
        }

        return (
            reason,
            "point writers at this node; set up pgBackRest with its own repository here and take a full backup (README: Failover); `pgstandby reinit` says what making it a standby again would discard");
    }
}
