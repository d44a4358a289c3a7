using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PgStandby.Core;
using PgStandby.Core.Configuration;
using PgStandby.Core.Processes;

namespace PgStandby.Worker;

/// <summary>Takes the PGDATA lock before the pipeline starts; a second worker on the same PGDATA stops at once.</summary>
internal static class WorkerLock
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static bool TryTake(IServiceProvider services, out string problem)
    {
        var dataDirectory = services.GetRequiredService<IOptions<StandbyOptions>>().Value.DataDirectory;
        problem = string.Empty;
        try
        {
            if (!Directory.Exists(dataDirectory))
            {
                services.GetRequiredService<FolderPreparer>().EnsureFolder(dataDirectory, OwnerOnly);
            }

            if (services.GetRequiredService<DataDirectoryLock>().TryAcquire(dataDirectory))
            {
                return true;
            }

            problem = $"another pgstandby already runs on {dataDirectory} (it holds the lock on that folder); stop it first, or give this one another PGDATA";
        }
        catch (StandbyException refusal)
        {
            problem = $"{refusal.Message}; {refusal.NextStep}";
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            problem = $"cannot create or lock PGDATA {dataDirectory}: {exception.Message}; check that its parent folder exists and is writable";
        }

        return false;
    }
}
