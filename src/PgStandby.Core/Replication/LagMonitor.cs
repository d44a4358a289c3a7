using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using PgStandby.Core.Configuration;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Health;

namespace PgStandby.Core.Replication;

/// <summary>Samples replication every few seconds and turns it into the shared health state.</summary>
public sealed class LagMonitor(
    IStandbyQueries queries,
    HealthState health,
    IOptions<ReplicationOptions> replication,
    IOptions<SupervisionOptions> supervision,
    TimeProvider time,
    ILogger<LagMonitor> logger)
{
    private static readonly TimeSpan SummaryEvery = TimeSpan.FromMinutes(1);

    public async Task MonitorAsync(CancellationToken stoppingToken)
    {
        var primary = $"{replication.Value.PrimaryHost}:{replication.Value.PrimaryPort}";
        var lastSummary = DateTimeOffset.MinValue;
        using var timer = new PeriodicTimer(supervision.Value.MonitorInterval, time);
        do
        {
            if (health.State == StandbyState.Stopping)
            {
                continue;
            }

            try
            {
                var sample = await queries.SampleAsync(stoppingToken).ConfigureAwait(false);
                var (state, reason, nextStep) = ReplicationVerdict.Decide(sample, primary);
                health.Set(state, reason, nextStep);
                health.Record(sample);
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
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
