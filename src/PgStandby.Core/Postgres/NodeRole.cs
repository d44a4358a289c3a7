namespace PgStandby.Core.Postgres;

/// <summary>
/// Whether this node runs as a standby or, once promoted, as a primary: shared by every stage, set by the
/// restore stage on start (a PGDATA this worker saw promoted) or by the recorder when it sees the promotion.
/// </summary>
public sealed class NodeRole
{
    private volatile PromotionRecord? _promotion;

    /// <summary>The promotion this node runs under; null while it is a standby.</summary>
    public PromotionRecord? Promotion => _promotion;

    public bool IsPrimary => _promotion is not null;

    public void BecomePrimary(PromotionRecord promotion) => _promotion = promotion;
}
