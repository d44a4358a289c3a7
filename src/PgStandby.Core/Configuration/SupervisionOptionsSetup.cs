using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace PgStandby.Core.Configuration;

internal sealed class SupervisionOptionsSetup(IConfiguration configuration) : IConfigureOptions<SupervisionOptions>
{
    public void Configure(SupervisionOptions options)
    {
        var env = new EnvironmentValues(configuration, options.Problems);
        options.RetryInterval = env.Seconds("PGSTANDBY_RETRY_SECONDS", options.RetryInterval, 1, 3600);
        options.MonitorInterval = env.Seconds("PGSTANDBY_MONITOR_SECONDS", options.MonitorInterval, 1, 3600);
        options.StopTimeout = env.Seconds("PGSTANDBY_STOP_TIMEOUT_SECONDS", options.StopTimeout, 5, 3600);
        options.StallTimeout = env.Seconds("PGSTANDBY_STALL_TIMEOUT", options.StallTimeout, 10, 86400);
        options.ResyncOnGap = env.Boolean("PGSTANDBY_RESYNC_ON_GAP", options.ResyncOnGap);
        options.MaxLagBytes = env.Size("PGSTANDBY_MAX_LAG_BYTES", options.MaxLagBytes, 1, 1L << 52);
        options.MaxLagSeconds = env.Seconds("PGSTANDBY_MAX_LAG_SECONDS", options.MaxLagSeconds, 1, 604800);
        options.LagSamples = env.Integer("PGSTANDBY_LAG_SAMPLES", options.LagSamples, 1, 100);
    }
}
