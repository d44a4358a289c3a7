using Microsoft.Extensions.Hosting;
using PgStandby.Core.Pipeline;
using PgStandby.Core.Replication;

namespace PgStandby.Worker.Stages;

/// <summary>Stage 5: replication is sampled every few seconds into the health state and the logs.</summary>
internal sealed class ReplicationLagMonitorService(StageRunner stages, LagMonitor monitor) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        stages.RunAsync(PipelineStage.ReplicationLagMonitor, (ready, token) =>
        {
            ready();
            return monitor.MonitorAsync(token);
        }, stoppingToken);
}
