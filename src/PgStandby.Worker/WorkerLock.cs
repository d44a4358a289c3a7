using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Processes;
using PgStandby.Core.Diagnostics;

namespace PgStandby.Worker;

/// <summary>Takes the PGDATA lock before the pipeline starts; a second worker on the same PGDATA stops at once.</summary>
internal static class WorkerLock
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <returns>Null once every lock is held; otherwise the exit code: 75 another worker runs on this PGDATA, 78 anything else.</returns>
    public static int? TryTake(IServiceProvider services, out string problem)
    {
        var dataDirectory = services.GetRequiredService<IOptions<StandbyOptions>>().Value.DataDirectory;
        problem = string.Empty;
        try
        {
            if (!Directory.Exists(dataDirectory))
            {
                services.GetRequiredService<FolderPreparer>().EnsureFolder(dataDirectory, OwnerOnly);
            }

            if (!services.GetRequiredService<DataDirectoryLock>().TryAcquire(dataDirectory))
            {
                problem = $"another pgstandby already runs on {dataDirectory} (it holds the lock on that folder); stop it first, or give this one another PGDATA";
                return ExitCodes.AlreadyRunning;
            }

            // Not "already running" (75): another standby's worker, on other data, shares a path with this one (78: a
            // unit's Restart=on-failure must not loop on it).
            if (services.GetRequiredService<WorkerPathLocks>().TryTakeAll(services.GetRequiredService<IOptions<StandbyOptions>>().Value) is { } shared)
            {
                problem = shared;
                return ExitCodes.NeedsOperator;
            }

            return null;
        }
        catch (StandbyException refusal)
        {
            problem = $"{refusal.Message}; {refusal.NextStep}";
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            problem = $"cannot create or lock PGDATA {dataDirectory}: {exception.Message}; check that its parent folder exists and is writable";
        }

        return ExitCodes.NeedsOperator;
    }
}
