using Microsoft.Extensions.Hosting;
using PgStandby.Core.Pipeline;
using PgStandby.Core.Restore;

namespace PgStandby.Worker.Stages;

/// <summary>Stage 3 of <c>pgstandby reinit --yes</c>: re-sync PGDATA from the newest backup, then stop.</summary>
internal sealed class ReinitService(StageRunner stages, StandbyResync restore, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        stages.RunAsync(PipelineStage.RestoreService, async (ready, token) =>
        {
            await restore.ReinitAsync(token).ConfigureAwait(false);
            ready();
            lifetime.StopApplication();
        }, stoppingToken);
}
