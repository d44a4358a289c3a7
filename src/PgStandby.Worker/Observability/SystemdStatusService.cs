using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using PgStandby.Core.Health;

namespace PgStandby.Worker.Observability;

/// <summary>
/// Under systemd (Type=notify): STATUS= with the state line whenever it changes, and WATCHDOG=1 when systemd
/// asks for it (WATCHDOG_USEC; the library sends READY=1 but no watchdog pings). The notifier exists only when
/// Microsoft.Extensions.Hosting.Systemd believes systemd started the process; otherwise this does nothing.
/// </summary>
internal sealed class SystemdStatusService(IServiceProvider services, HealthState health, IConfiguration configuration, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan StatusEvery = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (services.GetService<ISystemdNotifier>() is not { IsEnabled: true } notifier)
        {
            return;
        }

        var watchdog = WatchdogInterval();
        using var timer = new PeriodicTimer(watchdog is { } w && w / 2 < StatusEvery ? w / 2 : StatusEvery, time);
        string? sent = null;
        do
        {
            var current = health.Current;
            var line = $"STATUS={current.State}: {current.Reason}";
            if (line != sent)
            {
                notifier.Notify(new ServiceState(line.ReplaceLineEndings(" ")));
                sent = line;
            }

            // Only while the worker's own heartbeat rewrites the status: a hung worker stops pinging and WatchdogSec= restarts it.
            if (watchdog is not null && current.IsFreshAt(time.GetUtcNow()))
            {
                notifier.Notify(new ServiceState("WATCHDOG=1"));
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>https://www.freedesktop.org/software/systemd/man/sd_watchdog_enabled.html: WATCHDOG_USEC, for this pid when WATCHDOG_PID is set.</summary>
    private TimeSpan? WatchdogInterval()
    {
        if (!long.TryParse(configuration["WATCHDOG_USEC"], NumberStyles.None, CultureInfo.InvariantCulture, out var microseconds) || microseconds <= 0)
        {
            return null;
        }

        var pid = configuration["WATCHDOG_PID"];
        return string.IsNullOrEmpty(pid) || pid == Environment.ProcessId.ToString(CultureInfo.InvariantCulture)
            ? TimeSpan.FromMicroseconds(microseconds)
            : null;
    }
}
