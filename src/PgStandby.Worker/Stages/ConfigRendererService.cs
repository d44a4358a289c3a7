using Microsoft.Extensions.Hosting;
using PgStandby.Core.Pipeline;
using PgStandby.Core.Rendering;
using PgStandby.Core.Health;

namespace PgStandby.Worker.Stages;

/// <summary>Stage 2: pgbackrest.conf, the SSH wrapper, the passfile and postgres's settings are rendered; the installed versions recorded.</summary>
internal sealed class ConfigRendererService(StageRunner stages, ConfigRenderer renderer, SoftwareVersions versions) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        stages.RunAsync(PipelineStage.ConfigRenderer, async (markComplete, cancellationToken) =>
        {
            renderer.RenderAll();

            // The versions are for pgstandby status only: the restore need not wait for them.
            markComplete();
            await versions.RecordAsync(cancellationToken).ConfigureAwait(false);
        }, stoppingToken);
}
