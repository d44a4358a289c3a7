using System.Globalization;

namespace PgStandby.Core.Health;

/// <summary>
/// What <c>pgstandby health</c> concludes from the status file, in another process: the worker's own
/// verdict (never recomputed here), provided that worker is still alive and still rewriting the file.
/// Exit 0 healthy (or ready), 1 anything else (never 2).
/// </summary>
public static class HealthReport
{
    public static (int ExitCode, string Line) Evaluate(StatusSnapshot? snapshot, Func<int, bool> isWorkerAlive, DateTimeOffset now, bool ready = false)
    {
        if (snapshot is null)
        {
            return (1, "unhealthy: no status file; the worker is not running or has not started yet");
        }

        if (!isWorkerAlive(snapshot.Pid))
        {
            return (1, $"unhealthy: the worker (pid {snapshot.Pid}) is not running; its last state was {snapshot.State}: {snapshot.Reason}");
        }

        if (!snapshot.IsFreshAt(now))
        {
            return (1, $"unhealthy: stale status: the worker (pid {snapshot.Pid}) has not rewritten it since {Time(snapshot.UpdatedAt)}; its last state was {snapshot.State}. Next step: the worker is hung or overloaded: read its log, restart it if this persists");
        }

        var lag = snapshot.LagBytes is null ? string.Empty : $" (lag {snapshot.LagBytes} bytes, {snapshot.LagSeconds ?? 0:0.0} s)";
        if (ready)
        {
            return snapshot.Ready
                ? (0, $"ready: {snapshot.State}: {snapshot.Reason}{lag}")
                : (1, $"not ready: {snapshot.State}: {snapshot.Reason}{lag}. Next step: {snapshot.NextStep}");
        }

        var restore = snapshot.RestorePercent is { } percent ? $" ({percent.ToString("0.0", CultureInfo.InvariantCulture)} % restored)" : string.Empty;
        return snapshot.Healthy
            ? (0, $"healthy: {snapshot.State}: {snapshot.Reason}{lag}{restore}")
            : (1, $"unhealthy: {snapshot.State}: {snapshot.Reason}{restore}. Next step: {snapshot.NextStep}");
    }

    /// <summary>Alive means the pid exists and runs the pgstandby executable (a recycled pid does not).</summary>
    public static bool IsWorkerAlive(int pid)
    {
        try
        {
            var arguments = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            return pid > 0 && Path.GetFileName(arguments[0]) == "pgstandby";
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string Time(DateTimeOffset time) => time.ToString("u", CultureInfo.InvariantCulture);
}
