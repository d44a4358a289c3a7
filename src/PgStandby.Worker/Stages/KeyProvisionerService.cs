using Microsoft.Extensions.Hosting;
using PgStandby.Core.Keys;
using PgStandby.Core.Pipeline;

namespace PgStandby.Worker.Stages;

/// <summary>Stage 1: the standby's SSH key pair exists.</summary>
internal sealed class KeyProvisionerService(StageRunner stages, KeyProvisioner keys) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        stages.RunAsync(PipelineStage.KeyProvisioner, (_, token) => keys.EnsureAsync(token), stoppingToken);
}
