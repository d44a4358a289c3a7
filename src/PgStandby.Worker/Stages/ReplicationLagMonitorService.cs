using Microsoft.Extensions.Hosting;
using PgStandby.Core.Pipeline;
using PgStandby.Core.Promotion;
using PgStandby.Core.Monitoring;
using PgStandby.Core.Postgres;

namespace PgStandby.Worker.Stages;

/// <summary>
/// Stage 5: replication is sampled every few seconds into the health state and the logs; on a promoted node
/// (from the start, or once the lag monitor finds the promotion) the primary monitor takes over.
/// </summary>
internal sealed class ReplicationLagMonitorService(StageRunner stages, LagMonitor monitor, PrimaryMonitor primary, NodeRole role) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        stages.RunAsync(PipelineStage.ReplicationLagMonitor, async (ready, token) =>
        {
            ready();
            if (!role.IsPrimary)
            {
                await monitor.MonitorAsync(token).ConfigureAwait(false);
            }

            await primary.MonitorAsync(token).ConfigureAwait(false);
        }, stoppingToken);
}
