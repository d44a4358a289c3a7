using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using PgStandby.Core.Configuration;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Gaps;
using PgStandby.Core.Health;
using PgStandby.Core.Promotion;
using PgStandby.Core.Replication;

namespace PgStandby.Core.Monitoring;

/// <summary>
/// Samples replication every few seconds and turns it into the shared health state; returns once postgres is
/// found promoted (recorded: the node runs as a primary from then on, see <see cref="PrimaryMonitor"/>).
/// </summary>
public sealed class LagMonitor(
    IStandbyQueries queries,
    IArchiveTarget archive,
    HealthState health,
    StallResponse stalls,
    ForkConfirmation forks,
    StreamingStarted streaming,
    IPromotionRecorder promotions,
    IOptions<ReplicationOptions> replication,
    IOptions<SupervisionOptions> supervision,
    TimeProvider time,
    ILogger<LagMonitor> logger)
{
    private static readonly TimeSpan SummaryEvery = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Right after postgres accepts connections the WAL receiver connects within a second or two: sampling
    /// this often until the first streaming verdict reports it then, not a monitor interval later.
    /// </summary>
    public static readonly TimeSpan SettlingPoll = TimeSpan.FromMilliseconds(500);

    /// <summary>How long after the monitor starts the settling polls may go on (each also asks the primary over a replication login).</summary>
    public static readonly TimeSpan SettlingWindow = TimeSpan.FromMinutes(2);

    public async Task MonitorAsync(CancellationToken stoppingToken)
    {
        var primary = replication.Value.PrimaryAddress;
        var lastSummary = DateTimeOffset.MinValue;
        var stall = new StallDetector(time, supervision.Value.StallTimeout);
        var lag = new LagJudge(supervision.Value.MaxLagBytes, supervision.Value.MaxLagSeconds, supervision.Value.LagSamples);
        var settledAt = time.GetUtcNow() + SettlingWindow;
        var settled = false;
        do
        {
            if (health.State == StandbyState.Stopping)
            {
                continue;
            }

            try
            {
                streaming.Reset();
                var sample = await queries.SampleAsync(stoppingToken).ConfigureAwait(false);
                if (!sample.InRecovery)
                {
                    // Promoted (pgstandby promote, or by hand): never a streaming standby, never refused on restart.
                    if (await promotions.RecordAsync(stoppingToken).ConfigureAwait(false))
                    {
                        return;
                    }

                    continue;
                }

                sample = archive.Measure(sample, stoppingToken);
                forks.Observe(sample);
                var (state, reason, nextStep) = ReplicationVerdict.Decide(sample, primary);
                if (stall.Observe(sample) is { } stuck)
                {
                    (state, reason, nextStep) = await stalls.RespondAsync(sample, stuck, stoppingToken).ConfigureAwait(false);
                }
                else
                {
                    stalls.Reset();
                }

                if (state is not (StandbyState.Streaming or StandbyState.CatchingUpFromArchive))
                {
                    lag.Reset();
                }
                else if (lag.Observe(sample))
                {
                    (state, reason, nextStep) = Lagging(sample, reason, nextStep);
                }

                health.Set(state, reason, nextStep);
                health.Record(sample);

                // A refused or failed replication login will not heal within the window: no need to repeat it twice a second.
                settled = settled || sample.StreamingProblem is not null;
                var now = time.GetUtcNow();
                if (now - lastSummary >= SummaryEvery)
                {
                    lastSummary = now;
                    Log.ReplicationSampled(logger, state.Name(), sample.LagBytes, sample.LagSeconds, sample.ReceivedLsn, sample.ReplayedLsn);
                }
            }
            catch (NpgsqlException exception)
            {
                Log.SampleFailed(logger, exception.Message);
            }
#pragma warning disable CA1031 // one unexpected error must not stop the host, and with it postgres serving reads
            catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
            {
                Log.MonitorFailed(logger, exception);
                health.Set(health.State, $"the replication monitor failed ({exception.GetType().Name}: {exception.Message}); it samples again in {supervision.Value.MonitorInterval.TotalSeconds:0} s", "none if this does not repeat; otherwise report it with the worker's log");
            }

            settled = settled || health.State == StandbyState.Streaming || time.GetUtcNow() >= settledAt;
        }
        while (await WaitAsync(settled ? supervision.Value.MonitorInterval : Min(SettlingPoll, supervision.Value.MonitorInterval), stoppingToken).ConfigureAwait(false));
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>
    /// How long after the WAL receiver's "started streaming" line the sample is taken. The receiver shows
    /// streaming from the moment it connects, even when the primary then refuses what it asks for (a WAL
    /// segment the primary already removed): that refusal comes within milliseconds, and ends the receiver.
    /// </summary>
    public static readonly TimeSpan StreamingSettle = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Waits for the next sample, cut short when the WAL receiver starts streaming: the sample is then taken
    /// <see cref="StreamingSettle"/> after postgres's line (at once if that time has passed, the line having
    /// come during the last sample); throws when the host stops, as the loop's end.
    /// </summary>
    private async Task<bool> WaitAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        using var woken = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var pause = Task.Delay(delay, time, woken.Token);
        var raised = streaming.Next;
        if (await Task.WhenAny(pause, raised).ConfigureAwait(false) == raised)
        {
            await woken.CancelAsync().ConfigureAwait(false);
            var settle = Min(StreamingSettle, delay) - (time.GetUtcNow() - await raised.ConfigureAwait(false));
            if (settle > TimeSpan.Zero)
            {
                await Task.Delay(settle, time, stoppingToken).ConfigureAwait(false);
            }
        }

        stoppingToken.ThrowIfCancellationRequested();
        return true;
    }

    /// <summary>The reason holds the limits, not the figures, so it stays the same (one log line) while the lag moves.</summary>
    private (StandbyState State, string Reason, string NextStep) Lagging(ReplicationSample sample, string reason, string nextStep)
    {
        var options = supervision.Value;
        var why = $"replay lag past PGSTANDBY_MAX_LAG_BYTES ({options.MaxLagBytes} bytes) or PGSTANDBY_MAX_LAG_SECONDS ({options.MaxLagSeconds.TotalSeconds:0} s) for {options.LagSamples} samples in a row; {reason}";
        return (StandbyState.Lagging, why, sample.RecoveryPaused
            ? nextStep
            : "check the primary's write load, the network to it and this host's disk; raise PGSTANDBY_MAX_LAG_BYTES or PGSTANDBY_MAX_LAG_SECONDS if this lag is expected");
    }
}
