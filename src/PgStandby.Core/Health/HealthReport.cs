namespace PgStandby.Core.Health;

/// <summary>
/// What <c>pgstandby health</c> concludes from the status file, in another process: the worker's own
/// verdict, provided that worker is still alive. Exit 0 healthy, 1 anything else (never 2).
/// </summary>
public static class HealthReport
{
    public static (int ExitCode, string Line) Evaluate(StatusSnapshot? snapshot, Func<int, bool> isWorkerAlive)
    {
        if (snapshot is null)
        {
            return (1, "unhealthy: no status file; the worker is not running or has not started yet");
        }

        if (!isWorkerAlive(snapshot.Pid))
        {
            return (1, $"unhealthy: the worker (pid {snapshot.Pid}) is not running; its last state was {snapshot.State}: {snapshot.Reason}");
        }

        var lag = snapshot.LagBytes is null ? string.Empty : $" (lag {snapshot.LagBytes} bytes, {snapshot.LagSeconds ?? 0:0.0} s)";
        return snapshot.Healthy
            ? (0, $"healthy: {snapshot.State}: {snapshot.Reason}{lag}")
            : (1, $"unhealthy: {snapshot.State}: {snapshot.Reason}. Next step: {snapshot.NextStep}");
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
}
