using Microsoft.Extensions.Hosting;
using PgStandby.Core.Pipeline;
using PgStandby.Core.Restore;

namespace PgStandby.Worker.Stages;

/// <summary>Stage 3: PGDATA is a complete standby of the stanza (restored, resumed, or verified as it is).</summary>
internal sealed class RestoreService(StageRunner stages, RestoreCoordinator restore) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        stages.RunAsync(PipelineStage.RestoreService, (_, token) => restore.EnsureStandbyAsync(token), stoppingToken);
}
