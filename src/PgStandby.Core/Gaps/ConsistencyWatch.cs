using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Health;
using PgStandby.Core.Replication;

namespace PgStandby.Core.Gaps;

/// <summary>
/// starting_postgres has a bound: a standby that never becomes consistent (the WAL it needs before it can accept
/// connections is missing) would wait for ever, with no sample for the stall and gap detection to look at. Once
/// the position the startup process waits at has not moved for PGSTANDBY_STALL_TIMEOUT, that position is handed
/// to the same gap logic a stalled replay gets: an expired gap re-syncs, an archive behind is waited for.
/// </summary>
public sealed class ConsistencyWatch(
    StallResponse stalls,
    HealthState health,
    IOptions<SupervisionOptions> supervision,
    TimeProvider time) : IConsistencyWatch
{
    public async Task WatchAsync(Func<bool> ready, Func<string?> waitingAt, CancellationToken cancellationToken)
    {
        var options = supervision.Value;
        string? position = null;
        var movedAt = time.GetUtcNow();
        stalls.Reset();
        try
        {
            while (!ready())
            {
                await Task.Delay(options.MonitorInterval, time, cancellationToken).ConfigureAwait(false);
                var now = time.GetUtcNow();
                var current = waitingAt();
                if (current != position)
                {
                    (position, movedAt) = (current, now);
                    continue;
                }

                var stuck = now - movedAt;
                if (ready() || position is null || stuck < options.StallTimeout)
                {
                    continue;
                }

                // Not consistent yet: nothing is replayed for readers; the primary's position is not asked here.
                var sample = new ReplicationSample(true, null, position, null, null, null, null, false);
                var (state, reason, nextStep) = await stalls.RespondAsync(sample, stuck, cancellationToken).ConfigureAwait(false);
                health.Set(state, "postgres has not become consistent: " + reason, nextStep);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // postgres exited or is stopping: the supervisor decides what comes next.
        }
    }
}
