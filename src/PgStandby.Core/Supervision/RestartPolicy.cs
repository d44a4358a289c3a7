using PgStandby.Core.Diagnostics;

namespace PgStandby.Core.Supervision;

/// <summary>
/// When postgres starts again after a run that ended on its own (a crash, a restart for settings): after a capped
/// backoff (<see cref="RestartBackoff"/>), counting failures in a row — a run longer than <see cref="StableRun"/>
/// starts the count again — and failing from <see cref="FailingAfter"/> on.
/// </summary>
public sealed class RestartPolicy(TimeProvider time)
{
    /// <summary>Consecutive failed starts after which the state is failing, with postgres's last lines.</summary>
    public const int FailingAfter = 3;

    public static readonly TimeSpan StableRun = TimeSpan.FromMinutes(5);

    public int Failures { get; private set; }

    public bool IsFailing => Failures >= FailingAfter;

    /// <summary>A run started at <paramref name="startedTimestamp"/> (<see cref="TimeProvider.GetTimestamp"/>) ended badly.</summary>
    /// <returns>How long to wait before the next start.</returns>
    public TimeSpan Failed(long startedTimestamp)
    {
        Failures = time.GetElapsedTime(startedTimestamp) > StableRun ? 1 : Failures + 1;
        return RestartBackoff.Delay(Failures);
    }

    /// <summary>A run ended for a reason of the worker's (a re-sync): the next failure is the first.</summary>
    public void Reset() => Failures = 0;

    /// <summary>What a crash (the last of <see cref="Failures"/>) shows until postgres starts again in <paramref name="delay"/>.</summary>
    public (StandbyState State, string Reason, string NextStep) AfterCrash(int exitCode, TimeSpan delay, bool diskFull, string lastLines, string dataDirectory)
    {
        if (diskFull)
        {
            return (
                StandbyState.DiskFull,
                $"postgres stopped: {dataDirectory}'s file system is full; retrying in {delay.TotalSeconds:0} s; its last lines: {lastLines}",
                $"make room on {dataDirectory}'s file system (or give it a larger volume); postgres starts again by itself");
        }

        return IsFailing
            ? (StandbyState.Failing,
                $"postgres failed {Failures} times in a row (last exit code {exitCode}); retrying in {delay.TotalSeconds:0} s; its last lines: {lastLines}",
                "read postgres's lines in the log: a full disk, wrong permissions on PGDATA or a setting PG_SETTINGS added are the usual causes")
            : (StandbyState.StartingPostgres,
                $"postgres exited unexpectedly with code {exitCode}; restarting it in {delay.TotalSeconds:0} s (crash recovery, no restore)",
                "none: wait");
    }
}
