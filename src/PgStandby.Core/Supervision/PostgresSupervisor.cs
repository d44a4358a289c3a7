using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Gaps;
using PgStandby.Core.Health;
using PgStandby.Core.Processes;
using PgStandby.Core.Promotion;
using PgStandby.Core.Rendering;
using PgStandby.Core.Restore;
using PgStandby.Core.Monitoring;
using PgStandby.Core.Postgres;

namespace PgStandby.Core.Supervision;

/// <summary>
/// Runs postgres as a direct child (not pg_ctl, not daemonised), its log lines in the worker's log.
/// On host stop: SIGINT (fast shutdown), then a kill after the stop timeout. If postgres dies on its
/// own it is restarted with capped backoff: crash recovery does the rest, never a restore. When the
/// primary's timeline forked before the standby's position, postgres is stopped, the standby re-synced
/// from the newest backup (--delta) and started again.
/// </summary>
public sealed class PostgresSupervisor(
    ICommandRunner runner,
    PostgresTools tools,
    ConfigRenderer renderer,
    IStandbyResync restore,
    ResyncSignal resync,
    ForkConfirmation forks,
    PostgresRunLines lines,
    PostmasterReadiness readiness,
    IConsistencyWatch consistency,
    AdoptedPostmaster adopted,
    LeftoverProcesses leftovers,
    WalPrefetch prefetch,
    NodeRole role,
    IPromotionRecorder promotions,
    HealthState health,
    IOptions<StandbyOptions> standby,
    IOptions<SupervisionOptions> supervision,
    TimeProvider time,
    ILogger<PostgresSupervisor> logger)
{
    /// <summary>Consecutive failed starts after which the state is failing, with postgres's last lines.</summary>
    public const int FailingAfter = RestartPolicy.FailingAfter;

    private readonly RestartPolicy _restarts = new(time);
    private string _settingsLine = string.Empty;

    public int Restarts => health.PostgresRestarts;

    /// <param name="onReady">Called the first time postgres accepts connections.</param>
    /// <param name="stoppingToken">The host's stopping token: triggers the fast shutdown.</param>
    public async Task SuperviseAsync(Action onReady, CancellationToken stoppingToken)
    {
        var options = standby.Value;
        _restarts.Reset();
        while (!stoppingToken.IsCancellationRequested)
        {
            // The primary's hot-standby limits come from pg_control, which a restore or replay may have changed.
            var control = await tools.ReadControlDataAsync(stoppingToken).ConfigureAwait(false);

            // Promoted while supervised (the recorder had not seen it before postgres exited): never make it a standby again.
            if (!role.IsPrimary && PromotionRecorder.LooksPromoted(control, options.DataDirectory))
            {
                await promotions.RecordFromControlAsync(control!, stoppingToken).ConfigureAwait(false);
            }

            renderer.PrepareDataDirectory(control);
            if (_restarts.Failures == 0)
            {
                health.Set(
                    StandbyState.StartingPostgres,
                    role.IsPrimary ? $"starting postgres as a primary on {options.DataDirectory}" : $"starting postgres on {options.DataDirectory}",
                    "none: wait until it has replayed enough WAL to accept connections");
            }

            var started = time.GetTimestamp();
            var (exitCode, resyncReason, restartOnly) = adopted.Pid is { } pid
                ? await SuperviseAdoptedAsync(pid, onReady, stoppingToken).ConfigureAwait(false)
                : await RunOnceAsync(control, onReady, stoppingToken).ConfigureAwait(false);
            if (resyncReason is null && !restartOnly && !stoppingToken.IsCancellationRequested)
            {
                // postgres exits at once on some forks it reports ("requested timeline is not a child"): the
                // confirmation under way decides whether that was a fork or a crash.
                try
                {
                    await forks.SettledAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                }

                if (resync.Requested.IsCompleted)
                {
                    resyncReason = await resync.Requested.ConfigureAwait(false);
                }
            }
            if (stoppingToken.IsCancellationRequested)
            {
                Log.PostgresStopped(logger);

                // pgBackRest's asynchronous archive-get runs detached from postgres: stop it and its ssh too.
                await leftovers.StopPgBackRestAsync(options, leftByEarlierWorker: false, CancellationToken.None).ConfigureAwait(false);
                return;
            }

            if (restartOnly)
            {
                // Like a crash restart: backoff, and failing when postgres keeps asking (the limits it wants never come).
                var wait = _restarts.Failed(started);
                if (_restarts.IsFailing)
                {
                    health.Set(
                        StandbyState.Failing,
                        $"postgres stopped {_restarts.Failures} times in a row for settings below the primary's ({_settingsLine}); retrying in {wait.TotalSeconds:0} s",
                        "compare the primary's max_connections, max_worker_processes, max_wal_senders, max_prepared_transactions and max_locks_per_transaction with this standby's (pg_controldata; PG_SETTINGS or PG_SETTINGS_DIR must not set them lower)");
                }

                try
                {
                    await Task.Delay(wait, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            if (resyncReason is not null)
            {
                _restarts.Reset();
                await restore.ResyncAsync(resyncReason, resync.Branch, stoppingToken).ConfigureAwait(false);
                resync.Reset();
                continue;
            }

            Log.PostgresExited(logger, exitCode);
            var delay = _restarts.Failed(started);
            health.CountPostgresRestart();
            var (state, reason, nextStep) = _restarts.AfterCrash(exitCode, delay, lines.DiskFull, lines.Tail, options.DataDirectory);
            health.Set(state, reason, nextStep);
            Log.PostgresRestartScheduled(logger, delay, _restarts.Failures);
            try
            {
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return; // stopped while waiting to restart: nothing is running
            }
        }
    }

    /// <summary>Supervises a postgres that was running before this worker started, by its pid.</summary>
    private async Task<(int ExitCode, string? ResyncReason, bool RestartOnly)> SuperviseAdoptedAsync(int pid, Action onReady, CancellationToken stoppingToken)
    {
        using var exited = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var gone = leftovers.WaitForExitAsync(pid, exited.Token);
        var ready = WaitUntilReadyAsync(onReady, exited.Token);
        var first = await Task.WhenAny(gone, resync.Requested).ConfigureAwait(false);
        await exited.CancelAsync().ConfigureAwait(false);
        await ready.ConfigureAwait(false);
        adopted.Release();
        if (stoppingToken.IsCancellationRequested || first != gone)
        {
            string? reason = first == gone ? null : await resync.Requested.ConfigureAwait(false);
            if (stoppingToken.IsCancellationRequested)
            {
                Log.PostgresStopping(logger, supervision.Value.StopTimeout);
                health.Set(StandbyState.Stopping, "the worker is stopping: postgres is doing a fast shutdown", "none");
            }
            else
            {
                Log.ResyncStopping(logger, reason!);
            }

            await leftovers.StopPostmasterAsync(pid, supervision.Value.StopTimeout, CancellationToken.None).ConfigureAwait(false);
            return (0, reason, false);
        }

        return (-1, null, false); // it exited on its own: the loop starts our own postgres
    }

    /// <returns>postgres's exit code; the reason when it was stopped for a re-sync; whether it was stopped only to restart.</returns>
    private async Task<(int ExitCode, string? ResyncReason, bool RestartOnly)> RunOnceAsync(ControlData? control, Action onReady, CancellationToken stoppingToken)
    {
        var options = standby.Value;
        // Started first: postgres takes most of a second before it asks for its first segment.
        using var prefetchEnd = new CancellationTokenSource();
        if (!role.IsPrimary)
        {
            // Before every start as a standby (the first after a restore or a re-sync too, after a crash, a settings restart or an
            // adopted postgres's exit): no archive-get of an earlier run, and pgBackRest's queue empty (archive-missing-retry=n).
            await leftovers.StopPgBackRestAsync(options, leftByEarlierWorker: false, stoppingToken).ConfigureAwait(false);
            prefetch.ClearQueue();
        }

        var prefetching = role.IsPrimary ? Task.CompletedTask : prefetch.RunAsync(control, prefetchEnd.Token);
        if (RunningPostmaster.RemoveOwnLineagePidFile(options.DataDirectory) is { } stale)
        {
            Log.StalePidFileRemoved(logger, options.DataDirectory, stale);
        }

        Log.PostgresStarting(logger, options.DataDirectory, options.Port);
        var spec = new CommandSpec(
            tools.Binary("postgres"),
            ["-D", options.DataDirectory, "-c", "config_file=" + new RunFiles(options).PostgresConf])
        {
            WorkingDirectory = options.DataDirectory,
        };

        using var graceful = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var forceful = new CancellationTokenSource();
        using var registration = graceful.Token.Register(() => forceful.CancelAfter(supervision.Value.StopTimeout));
        using var onStop = stoppingToken.Register(() =>
        {
            Log.PostgresStopping(logger, supervision.Value.StopTimeout);
            health.Set(StandbyState.Stopping, "the worker is stopping: postgres is doing a fast shutdown", "none");
        });
        using var exited = new CancellationTokenSource();

        // Per run: a settings restart asked by an earlier run, or its last lines, say nothing of this one.
        lines.BeginRun();
        var run = runner.RunStreamingAsync(spec, OnLine, forceful.Token, graceful.Token);
        var ready = WaitUntilReadyAsync(onReady, exited.Token);
        var consistent = role.IsPrimary ? Task.CompletedTask : consistency.WatchAsync(() => lines.Ready, () => lines.WaitingAt, exited.Token);
        string? resyncReason = null;
        var restartOnly = false;
        try
        {
            var first = await Task.WhenAny(run, resync.Requested, lines.SettingsRestart).ConfigureAwait(false);
            if (first == lines.SettingsRestart)
            {
                _settingsLine = await lines.SettingsRestart.ConfigureAwait(false);
                Log.RestartingForSettings(logger, _settingsLine);
                restartOnly = true;
                await graceful.CancelAsync().ConfigureAwait(false);
            }
            else if (first != run)
            {
                resyncReason = await resync.Requested.ConfigureAwait(false);
                Log.ResyncStopping(logger, resyncReason);
                await graceful.CancelAsync().ConfigureAwait(false);
            }

            return (await run.ConfigureAwait(false), resyncReason, restartOnly);
        }
        catch (OperationCanceledException) when (graceful.IsCancellationRequested)
        {
            return (0, resyncReason, restartOnly);
        }
        finally
        {
            await exited.CancelAsync().ConfigureAwait(false);
            await ready.ConfigureAwait(false);
            await consistent.ConfigureAwait(false);
            await prefetchEnd.CancelAsync().ConfigureAwait(false);
            await prefetching.ConfigureAwait(false);
        }
    }

    private void OnLine(string line)
    {
        Log.PostgresLine(logger, Printable(line));
        lines.Observe(line);
    }

    /// <summary>Control characters a client put in its text (a carriage return, an escape) are shown, not obeyed, by a terminal.</summary>
    private static string Printable(string line) =>
        line.Any(c => char.IsControl(c) && c != '\t')
            ? string.Concat(line.Select(c => char.IsControl(c) && c != '\t' ? $"\\u{(int)c:x4}" : c.ToString()))
            : line;

    private async Task WaitUntilReadyAsync(Action onReady, CancellationToken exited)
    {
        if (await readiness.WaitAsync(lines.ReadyLine, exited).ConfigureAwait(false))
        {
            Log.PostgresReady(logger, standby.Value.Port);
            lines.Ready = true;
            onReady();
        }
    }
}
