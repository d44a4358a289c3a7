using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Gaps;
using PgStandby.Core.Health;
using PgStandby.Core.Processes;
using PgStandby.Core.Promotion;
using PgStandby.Core.Rendering;
using PgStandby.Core.Replication;
using PgStandby.Core.Restore;
using PgStandby.Core.Timelines;

namespace PgStandby.Core.Postgres;

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
    IStandbyQueries queries,
    IStandbyResync restore,
    ResyncSignal resync,
    ForkConfirmation forks,
    StreamingStarted streaming,
    RefusedSegments refused,
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
    public const int FailingAfter = 3;

    private static readonly TimeSpan ReadyPoll = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan StableRun = TimeSpan.FromMinutes(5);

    private readonly PostgresLogTail _tail = new();
    private TaskCompletionSource _readyLine = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<string> _restart = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string _settingsLine = string.Empty;
    private volatile bool _diskFull;
    private volatile bool _ready;
    private volatile string? _waitingAt;

    public int Restarts => health.PostgresRestarts;

    /// <summary>Free bytes on a path's file system, or null when it cannot be asked: statvfs, replaced by tests.</summary>
    internal Func<string, long?> FreeBytesOf { get; init; } = FreeBytes;

    /// <param name="onReady">Called the first time postgres accepts connections.</param>
    /// <param name="stoppingToken">The host's stopping token: triggers the fast shutdown.</param>
    public async Task SuperviseAsync(Action onReady, CancellationToken stoppingToken)
    {
        var options = standby.Value;
        var failures = 0;
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
            if (failures == 0)
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
                failures = time.GetElapsedTime(started) > StableRun ? 1 : failures + 1;
                var wait = RestartBackoff.Delay(failures);
                if (failures >= FailingAfter)
                {
                    health.Set(
                        StandbyState.Failing,
                        $"postgres stopped {failures} times in a row for settings below the primary's ({_settingsLine}); retrying in {wait.TotalSeconds:0} s",
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
                failures = 0;
                await restore.ResyncAsync(resyncReason, resync.Branch, stoppingToken).ConfigureAwait(false);
                resync.Reset();
                continue;
            }

            Log.PostgresExited(logger, exitCode);
            failures = time.GetElapsedTime(started) > StableRun ? 1 : failures + 1;
            health.CountPostgresRestart();
            var delay = RestartBackoff.Delay(failures);
            ReportCrash(exitCode, failures, delay);
            Log.PostgresRestartScheduled(logger, delay, failures);
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

    private void ReportCrash(int exitCode, int failures, TimeSpan delay)
    {
        var tail = _tail.ToString();
        if (_diskFull)
        {
            health.Set(
                StandbyState.DiskFull,
                $"postgres stopped: {standby.Value.DataDirectory}'s file system is full; retrying in {delay.TotalSeconds:0} s; its last lines: {tail}",
                $"make room on {standby.Value.DataDirectory}'s file system (or give it a larger volume); postgres starts again by itself");
        }
        else if (failures >= FailingAfter)
        {
            health.Set(
                StandbyState.Failing,
                $"postgres failed {failures} times in a row (last exit code {exitCode}); retrying in {delay.TotalSeconds:0} s; its last lines: {tail}",
                "read postgres's lines in the log: a full disk, wrong permissions on PGDATA or a setting PG_SETTINGS added are the usual causes");
        }
        else
        {
            health.Set(
                StandbyState.StartingPostgres,
                $"postgres exited unexpectedly with code {exitCode}; restarting it in {delay.TotalSeconds:0} s (crash recovery, no restore)",
                "none: wait");
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
            // After a crash, a settings restart or an adopted postgres's exit too: no archive-get of the last run, an empty queue.
            await leftovers.StopPgBackRestAsync(options, leftByEarlierWorker: false, stoppingToken).ConfigureAwait(false);
            prefetch.ClearQueue();
        }

        var prefetching = role.IsPrimary ? Task.CompletedTask : prefetch.RunAsync(control, prefetchEnd.Token);
        if (LeftoverProcesses.RemoveOwnLineagePidFile(options.DataDirectory) is { } stale)
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
        _readyLine = new(TaskCreationOptions.RunContinuationsAsynchronously);

        // Per run: a settings restart asked by an earlier run, or its last lines, say nothing of this one.
        _restart = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _tail.Clear();
        _diskFull = false;
        _ready = false;
        _waitingAt = null;
        var run = runner.RunStreamingAsync(spec, OnLine, forceful.Token, graceful.Token);
        var ready = WaitUntilReadyAsync(onReady, exited.Token);
        var consistent = role.IsPrimary ? Task.CompletedTask : consistency.WatchAsync(() => _ready, () => _waitingAt, exited.Token);
        string? resyncReason = null;
        var restartOnly = false;
        try
        {
            var first = await Task.WhenAny(run, resync.Requested, _restart.Task).ConfigureAwait(false);
            if (first == _restart.Task)
            {
                _settingsLine = await _restart.Task.ConfigureAwait(false);
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
        _tail.Add(line);

        // Decisions come only from the message lines of postgres's own processes: a client's text sits behind a
        // client backend's prefix or on a tab-indented continuation line, and matches none of these.
        if (PostgresLogLine.Parse(line) is not { } entry)
        {
            // restore_command's own output (pgBackRest, unprefixed; a client's text never starts a line): a WAL
            // segment it cannot write into PGDATA on a file system with less than a segment free is a full disk.
            if (!_ready && line.StartsWith("ERROR: [064]: unable to write '" + standby.Value.DataDirectory, StringComparison.Ordinal)
                && FreeBytesOf(standby.Value.DataDirectory) is < WalSegmentBytes)
            {
                ReportDiskFullWhileStarting(line);
            }

            return;
        }

        if (entry.IsServerMessage && entry.Message.Contains("No space left on device", StringComparison.Ordinal))
        {
            _diskFull = true;

            // postgres may keep running and retry (the WAL receiver, restore_command): before it is ready nothing
            // else would say why it does not get there. Once ready, the lag monitor reports the stall.
            if (!_ready)
            {
                ReportDiskFullWhileStarting(entry.Message);
            }
        }

        // The primary raised a limit (max_connections…) above this standby's: recovery pauses until a
        // restart, which renders the new values from pg_control.
        if (entry.IsMessageFrom(PostgresLogLine.Startup) && entry.Message.Contains("insufficient parameter settings", StringComparison.Ordinal))
        {
            _restart.TrySetResult(entry.Message);
        }

        // The moment it accepts connections: the readiness wait checks at once rather than at its next poll.
        if (entry.IsMessageFrom(PostgresLogLine.Postmaster) && entry.Message.StartsWith("database system is ready to accept", StringComparison.Ordinal))
        {
            _readyLine.TrySetResult();
        }

        // The WAL receiver streams: the lag monitor says so now rather than at its next sample.
        if (entry.IsMessageFrom(PostgresLogLine.WalReceiver) && StreamingStarted.IsStreamingLine(entry.Message))
        {
            streaming.Raise(time.GetUtcNow());
        }

        // Before it is consistent: where the startup process waits for WAL, for the bound on starting_postgres.
        if (!_ready && entry.IsMessageFrom(PostgresLogLine.Startup) && entry.Message.StartsWith(WaitingForWal, StringComparison.Ordinal))
        {
            _waitingAt = entry.Message[WaitingForWal.Length..].Trim();
        }

        // The primary no longer has the segment the WAL receiver asked for: one of the facts of an expired gap.
        if (entry.IsMessageFrom(PostgresLogLine.WalReceiver) && RefusedSegments.Parse(entry.Message) is { } removed)
        {
            refused.Record(removed, time.GetUtcNow());
        }

        if (entry.IsMessageFrom(PostgresLogLine.Startup) && TimelineDivergence.IsDivergence(entry.Message))
        {
            forks.Check(entry.Message);
        }
    }

    private const long WalSegmentBytes = 16 * 1024 * 1024;

    private const string WaitingForWal = "waiting for WAL to become available at ";

    private void ReportDiskFullWhileStarting(string message) =>
        health.Set(
            StandbyState.DiskFull,
            $"{standby.Value.DataDirectory}'s file system is full: postgres cannot write its WAL (postgres: {message})",
            $"make room on {standby.Value.DataDirectory}'s file system (or give it a larger volume); postgres goes on by itself");

    /// <summary>Free bytes on <paramref name="path"/>'s file system (statvfs), or null when it cannot be asked.</summary>
    private static long? FreeBytes(string path)
    {
        try
        {
            return new DriveInfo(path).AvailableFreeSpace;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Control characters a client put in its text (a carriage return, an escape) are shown, not obeyed, by a terminal.</summary>
    private static string Printable(string line) =>
        line.Any(c => char.IsControl(c) && c != '\t')
            ? string.Concat(line.Select(c => char.IsControl(c) && c != '\t' ? $"\\u{(int)c:x4}" : c.ToString()))
            : line;

    private async Task WaitUntilReadyAsync(Action onReady, CancellationToken exited)
    {
        try
        {
            var dataDirectory = standby.Value.DataDirectory;
            var readyLine = _readyLine.Task;
            while (!PostmasterStatus.IsAcceptingConnections(dataDirectory) || !await queries.IsAcceptingConnectionsAsync(exited).ConfigureAwait(false))
            {
                // Polls postmaster.pid (an adopted postmaster writes no lines to us), woken early by postgres's own
                // "ready to accept connections" line; a line seen once wakes no further poll.
                var poll = Task.Delay(ReadyPoll, time, exited);
                await (readyLine.IsCompleted ? poll : Task.WhenAny(poll, readyLine)).ConfigureAwait(false);
                exited.ThrowIfCancellationRequested();
            }

            Log.PostgresReady(logger, standby.Value.Port);
            _ready = true;
            onReady();
        }
        catch (OperationCanceledException) when (exited.IsCancellationRequested)
        {
            // postgres exited before it was ready; the supervisor loop decides what happens next.
        }
    }
}
