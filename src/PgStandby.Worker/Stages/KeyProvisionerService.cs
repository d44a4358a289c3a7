using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Keys;
using PgStandby.Core.Pipeline;
using PgStandby.Core.Tls;

namespace PgStandby.Worker.Stages;

/// <summary>Stage 1: the standby's identity exists: its SSH key pair, or with BACKREST_REPO_TRANSPORT=tls its TLS key and request.</summary>
internal sealed class KeyProvisionerService(StageRunner stages, KeyProvisioner keys, TlsClientCredentials tls, IOptions<RepositoryOptions> repository) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        stages.RunAsync(
            PipelineStage.KeyProvisioner,
            (_, token) => repository.Value.Transport == RepositoryTransport.Tls ? tls.EnsureAsync(token) : (Task)keys.EnsureAsync(token),
            stoppingToken);
}
