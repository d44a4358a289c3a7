using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Health;
using PgStandby.Core.Processes;
using PgStandby.Core.Rendering;
using PgStandby.Core.Replication;

namespace PgStandby.Core.Postgres;

/// <summary>
/// Runs postgres as a direct child (not pg_ctl, not daemonised), its log lines in the worker's log.
/// On host stop: SIGINT (fast shutdown), then a kill after the stop timeout. If postgres dies on its
/// own it is restarted with backoff; crash recovery does the rest, never a restore.
/// </summary>
public sealed class PostgresSupervisor(
    ICommandRunner runner,
    PostgresTools tools,
    ConfigRenderer renderer,
    IStandbyQueries queries,
    HealthState health,
    IOptions<StandbyOptions> standby,
    IOptions<SupervisionOptions> supervision,
    TimeProvider time,
    ILogger<PostgresSupervisor> logger)
{
    private static readonly TimeSpan ReadyPoll = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan StableRun = TimeSpan.FromMinutes(5);

    public int Restarts { get; private set; }

    /// <param name="onReady">Called the first time postgres accepts connections.</param>
    /// <param name="stoppingToken">The host's stopping token: triggers the fast shutdown.</param>
    public async Task SuperviseAsync(Action onReady, CancellationToken stoppingToken)
    {
        var options = standby.Value;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            renderer.PrepareDataDirectory();
            health.Set(StandbyState.StartingPostgres, $"starting postgres on {options.DataDirectory}", "none: wait until it has replayed enough WAL to accept connections");
            Log.PostgresStarting(logger, options.DataDirectory, options.Port);
            var started = time.GetTimestamp();
            var exitCode = await RunOnceAsync(onReady, stoppingToken).ConfigureAwait(false);
            if (stoppingToken.IsCancellationRequested)
            {
                Log.PostgresStopped(logger);
                return;
            }

            Log.PostgresExited(logger, exitCode);
            failures = time.GetElapsedTime(started) > StableRun ? 1 : failures + 1;
            Restarts++;
            var delay = RestartBackoff.Delay(failures);
            health.Set(StandbyState.Failing, $"postgres exited unexpectedly with code {exitCode}; restart {failures} in {delay.TotalSeconds:0} s", "read postgres's last log lines above");
            Log.PostgresRestartScheduled(logger, delay, failures);
            await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task<int> RunOnceAsync(Action onReady, CancellationToken stoppingToken)
    {
        var options = standby.Value;
        var spec = new CommandSpec(
            tools.Binary("postgres"),
            ["-D", options.DataDirectory, "-c", "config_file=" + new RunFiles(options).PostgresConf])
        {
            WorkingDirectory = options.DataDirectory,
        };

        using var forceful = new CancellationTokenSource();
        using var registration = stoppingToken.Register(() =>
        {
            Log.PostgresStopping(logger, supervision.Value.StopTimeout);
            health.Set(StandbyState.Stopping, "the worker is stopping: postgres is doing a fast shutdown", "none");
            forceful.CancelAfter(supervision.Value.StopTimeout);
        });
        using var exited = new CancellationTokenSource();
        var run = runner.RunStreamingAsync(spec, line => Log.PostgresLine(logger, line), forceful.Token, stoppingToken);
        var ready = WaitUntilReadyAsync(onReady, exited.Token);
        try
        {
            return await run.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return 0;
        }
        finally
        {
            await exited.CancelAsync().ConfigureAwait(false);
            await ready.ConfigureAwait(false);
        }
    }

    private async Task WaitUntilReadyAsync(Action onReady, CancellationToken exited)
    {
        try
        {
            var dataDirectory = standby.Value.DataDirectory;
            while (!PostmasterStatus.IsAcceptingConnections(dataDirectory) || !await queries.IsAcceptingConnectionsAsync(exited).ConfigureAwait(false))
            {
                await Task.Delay(ReadyPoll, time, exited).ConfigureAwait(false);
            }

            Log.PostgresReady(logger, standby.Value.Port);
            onReady();
        }
        catch (OperationCanceledException) when (exited.IsCancellationRequested)
        {
            // postgres exited before it was ready; the supervisor loop decides what happens next.
        }
    }
}
