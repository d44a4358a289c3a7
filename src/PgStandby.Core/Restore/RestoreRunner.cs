using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Health;
using PgStandby.Core.Processes;

namespace PgStandby.Core.Restore;

/// <summary>
/// Runs <c>pgbackrest restore --type=standby</c> as postgres, its output forwarded to the worker's log. Its
/// per-file detail lines are not forwarded one by one: they add up to a progress line every 10 seconds.
/// </summary>
public sealed class RestoreRunner(
    ICommandRunner runner,
    IOptions<RepositoryOptions> repository,
    IOptions<StandbyOptions> standby,
    IOptions<SupervisionOptions> supervision,
    HealthState health,
    TimeProvider time,
    ILogger<RestoreRunner> logger)
{
    /// <summary>How often the progress line is logged while a restore runs.</summary>
    public static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(10);

    /// <param name="set">A backup label (pgBackRest's --set) when not the newest backup; null for the newest.</param>
    public IReadOnlyList<string> Arguments(bool delta, string? set = null)
    {
        var arguments = new List<string>
        {
            "--config=" + standby.Value.PgBackRestConfig,
            "--stanza=" + repository.Value.Stanza,
            "--type=standby",
            // detail: one line per restored file, with the share of the backup done (https://pgbackrest.org/configuration.html#section-log)
            "--log-level-console=detail",
        };
        if (delta)
        {
            arguments.Add("--delta");
        }

        if (set is not null)
        {
            arguments.Add("--set=" + set);
        }

        arguments.Add("restore");
        return arguments;
    }

    /// <summary>
    /// Returns pgbackrest's exit code and the last lines it printed (per-file lines left out). On host stop
    /// pgbackrest gets SIGINT and stops cleanly; the next start resumes with --delta.
    /// </summary>
    public Task<(int ExitCode, string Tail)> RunAsync(bool delta, CancellationToken stoppingToken) => RunAsync(delta, null, stoppingToken);

    /// <inheritdoc cref="RunAsync(bool, CancellationToken)"/>
    /// <param name="set">The backup to restore (--set), or null for the newest.</param>
    public async Task<(int ExitCode, string Tail)> RunAsync(bool delta, string? set, CancellationToken stoppingToken)
    {
        var tail = new Queue<string>();
        var progress = new RestoreProgressTracker(time);
        void OnLine(string line)
        {
            if (progress.Observe(line) || RestoreFileLine.IsDetail(line))
            {
                Log.PgBackRestDetail(logger, line);
                return;
            }

            Log.PgBackRestLine(logger, line);
            lock (tail)
            {
                tail.Enqueue(line);
                if (tail.Count > 5)
                {
                    tail.Dequeue();
                }
            }
        }

        using var forceful = new CancellationTokenSource();
        using var registration = stoppingToken.Register(() => forceful.CancelAfter(supervision.Value.StopTimeout));
        using var reporting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var reporter = ReportAsync(progress, reporting.Token);
        int exitCode;
        try
        {
            exitCode = await runner.RunStreamingAsync(new CommandSpec("pgbackrest", Arguments(delta, set)), OnLine, forceful.Token, stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            await reporting.CancelAsync().ConfigureAwait(false);
            await reporter.ConfigureAwait(false);
        }

        if (exitCode == 0)
        {
            Report(progress.Current);
        }

        lock (tail)
        {
            return (exitCode, string.Join(" | ", tail));
        }
    }

    private async Task ReportAsync(RestoreProgressTracker progress, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(ProgressEvery, time);
        var growth = new DataDirectoryGrowth(standby.Value.DataDirectory);
        growth.Grew();
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                Report(progress.Current);
                if (growth.Grew())
                {
                    // Between two per-file lines: the restore moves, so it stays healthy.
                    health.ReportRestoreActivity();
                    if (progress.Current.Files == 0)
                    {
                        Log.RestoreFirstFiles(logger, Human.Bytes(growth.Bytes));
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // the restore ended
        }
    }

    private void Report(RestoreProgress current)
    {
        if (current.Files == 0)
        {
            return;
        }

        health.ReportRestoreProgress(Math.Round(current.Percent, 2), current.BytesDone, current.BytesTotal);
        Log.RestoreProgress(
            logger,
            current.Percent,
            Human.Bytes(current.BytesDone),
            current.BytesTotal is { } total ? Human.Bytes(total) : "?",
            Human.Bytes(current.BytesPerSecond),
            current.Files,
            Human.Duration(current.Elapsed),
            current.Eta is { } eta ? Human.Duration(eta) : "?");
    }
}
