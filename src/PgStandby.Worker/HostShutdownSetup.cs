using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;

namespace PgStandby.Worker;

/// <summary>Timeouts nest: postgres's stop grace &lt; the host's shutdown timeout &lt; systemd's TimeoutStopSec.</summary>
internal sealed class HostShutdownSetup(IOptions<SupervisionOptions> supervision) : IConfigureOptions<HostOptions>
{
    public void Configure(HostOptions options) =>
        options.ShutdownTimeout = supervision.Value.StopTimeout + TimeSpan.FromSeconds(15);
}
