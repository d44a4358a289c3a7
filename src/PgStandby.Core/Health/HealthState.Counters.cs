using PgStandby.Core.Diagnostics;

namespace PgStandby.Core.Health;

/// <summary>Figures kept across states for the status and the metrics: postgres restarts, restore timing, software versions.</summary>
public sealed partial class HealthState
{
    private int _postgresRestarts;

    /// <summary>Times postgres exited unexpectedly and was started again since the worker started.</summary>
    public int PostgresRestarts => Volatile.Read(ref _postgresRestarts);

    /// <summary>How long the running restore (or re-sync) has taken so far, else how long the last one took; null before any.</summary>
    public TimeSpan? RestoreDuration
    {
        get
        {
            var current = Current;
            return current.RestoreStartedAt is { } started
                ? _time.GetUtcNow() - started
                : current.LastRestoreSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
        }
    }

    /// <summary>Counts one unexpected exit of postgres that the supervisor restarts.</summary>
    public void CountPostgresRestart()
    {
        var restarts = Interlocked.Increment(ref _postgresRestarts);
        Update(s => s with { PostgresRestarts = restarts });
    }

    /// <summary>pgBackRest's and PostgreSQL's versions on this standby, as their own binaries print them.</summary>
    public void SetVersions(string? pgBackRest, string? postgres) =>
        Update(s => s with { PgBackRestVersion = pgBackRest, PostgresVersion = postgres });

    /// <summary>Starts or ends the restore clock (kept in the snapshot itself) on a change of state.</summary>
    private static StatusSnapshot TimeRestore(StatusSnapshot snapshot, StandbyState from, StandbyState to, DateTimeOffset now)
    {
        if (IsRestoring(to) && !IsRestoring(from))
        {
            return snapshot with { RestoreStartedAt = now };
        }

        if (!IsRestoring(to) && IsRestoring(from) && snapshot.RestoreStartedAt is { } started)
        {
            return snapshot with { RestoreStartedAt = null, LastRestoreSeconds = Math.Round((now - started).TotalSeconds, 1) };
        }

        return snapshot;
    }
}
