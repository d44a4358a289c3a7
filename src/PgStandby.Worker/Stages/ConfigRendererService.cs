using Microsoft.Extensions.Hosting;
using PgStandby.Core.Pipeline;
using PgStandby.Core.Rendering;

namespace PgStandby.Worker.Stages;

/// <summary>Stage 2: pgbackrest.conf, the SSH wrapper, the passfile and postgres's settings are rendered.</summary>
internal sealed class ConfigRendererService(StageRunner stages, ConfigRenderer renderer) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        stages.RunAsync(PipelineStage.ConfigRenderer, (_, _) =>
        {
            renderer.RenderAll();
            return Task.CompletedTask;
        }, stoppingToken);
}
