namespace PgStandby.Core.Promotion;

/// <summary>The local postgres, asked and promoted through its socket as postgres.</summary>
public interface ILocalNode
{
    /// <summary>Null when postgres does not accept connections.</summary>
    Task<NodeFacts?> FactsAsync(CancellationToken cancellationToken);

    /// <summary>pg_promote(wait => true, wait_seconds): true once the promotion completed within that time.</summary>
    Task<bool> PromoteAsync(int waitSeconds, CancellationToken cancellationToken);

    /// <summary>pg_reload_conf(): postgres reads its settings files again.</summary>
    Task ReloadAsync(CancellationToken cancellationToken);
}
