using Microsoft.Extensions.Hosting;
using PgStandby.Core.Pipeline;
using PgStandby.Core.Supervision;

namespace PgStandby.Worker.Stages;

/// <summary>Stage 4: postgres runs as the worker's child; the stage is done once it accepts connections.</summary>
internal sealed class PostgresProcessService(StageRunner stages, PostgresSupervisor supervisor) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        stages.RunAsync(PipelineStage.PostgresProcessService, supervisor.SuperviseAsync, stoppingToken);
}
