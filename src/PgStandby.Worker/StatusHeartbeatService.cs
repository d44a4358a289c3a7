using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Health;
using PgStandby.Core.Diagnostics;

namespace PgStandby.Worker;

/// <summary>
/// Rewrites the status file every PGSTANDBY_MONITOR_SECONDS in every stage (a restore lasts hours): its verdict
/// follows the clock, and a status that stops being rewritten is stale for <c>pgstandby health</c>.
/// </summary>
internal sealed class StatusHeartbeatService(HealthState health, IOptions<SupervisionOptions> supervision, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(supervision.Value.MonitorInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (health.State != StandbyState.Stopping)
            {
                health.Heartbeat();
            }
        }
    }
}
