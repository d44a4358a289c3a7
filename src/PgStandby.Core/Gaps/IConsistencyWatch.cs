namespace PgStandby.Core.Gaps;

/// <summary>Watches a postgres that has not become consistent yet (it accepts no connection, so no sample is taken).</summary>
public interface IConsistencyWatch
{
    /// <param name="ready">Whether postgres accepts connections now: the watch ends.</param>
    /// <param name="waitingAt">The position the startup process last said it waits for WAL at, if any.</param>
    Task WatchAsync(Func<bool> ready, Func<string?> waitingAt, CancellationToken cancellationToken);
}
