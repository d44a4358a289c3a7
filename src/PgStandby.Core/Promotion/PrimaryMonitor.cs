using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Health;
using PgStandby.Core.Replication;
using PgStandby.Core.Postgres;

namespace PgStandby.Core.Promotion;

/// <summary>
/// The monitor of a promoted node: no lag against the old primary (there is none to follow), only whether this
/// primary answers, and, every <see cref="OldPrimaryEvery"/> monitor intervals, whether the old primary answers
/// as a primary again (clients still writing there diverge from this node).
/// </summary>
public sealed class PrimaryMonitor(
    ILocalNode node,
    IStandbyQueries queries,
    NodeRole role,
    HealthState health,
    IOptions<ReplicationOptions> replication,
    IOptions<SupervisionOptions> supervision,
    TimeProvider time,
    ILogger<PrimaryMonitor> logger)
{
    /// <summary>The old primary is asked once every this many monitor intervals (a replication login each time).</summary>
    public const int OldPrimaryEvery = 6;

    public async Task MonitorAsync(CancellationToken stoppingToken)
    {
        var oldPrimary = replication.Value.PrimaryAddress;
        var samples = 0;
        bool? writable = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (role.Promotion is { } promotion && health.State != StandbyState.Stopping)
                {
                    if (samples++ % OldPrimaryEvery == 0)
                    {
                        var answer = await queries.AskPrimaryAsync(stoppingToken).ConfigureAwait(false);
                        var now = answer.Writable == true;
                        if (now && writable != true)
                        {
                            Log.OldPrimaryWritable(logger, oldPrimary);
                        }
                        else if (!now && writable == true)
                        {
                            Log.OldPrimaryGone(logger, oldPrimary);
                        }

                        writable = now;
                        health.SetOldPrimaryWritable(now);
                    }

                    var facts = await node.FactsAsync(stoppingToken).ConfigureAwait(false);
                    if (facts is null)
                    {
                        Log.PrimarySampleFailed(logger, "postgres does not accept connections");
                    }
                    else
                    {
                        var (reason, nextStep) = PrimaryStatus.Describe(promotion, writable == true, oldPrimary);
                        health.Set(StandbyState.Primary, reason, nextStep);
                    }
                }
            }
#pragma warning disable CA1031 // one unexpected error must not stop the host, and with it the only primary left
            catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
            {
                Log.PrimarySampleFailed(logger, $"{exception.GetType().Name}: {exception.Message}");
            }

            await Task.Delay(supervision.Value.MonitorInterval, time, stoppingToken).ConfigureAwait(false);
        }
    }
}
