using PgStandby.Core.Processes;

namespace PgStandby.Core.Postgres;

/// <summary>Whether the postmaster PGDATA/postmaster.pid names is running, and whether it is a postgres of this PGDATA.</summary>
public static class RunningPostmaster
{
    /// <summary>
    /// The postgres postmaster.pid names: null when there is none alive (no file, or a stale one postgres
    /// itself replaces); otherwise its pid and whether it is a postgres running on <paramref name="dataDirectory"/>.
    /// </summary>
    public static (int Pid, bool OnThisDataDirectory)? Find(string dataDirectory)
    {
        if (PostmasterPidFile.Read(dataDirectory) is not { Pid: { } pid } file || !ProcTable.IsAlive(pid) || ProcTable.IsOwnLineage(pid))
        {
            return null;
        }

        if (ProcTable.Read(pid) is not { } process)
        {
            // Alive but unreadable (it exited in between, or /proc hides it: hidepid, ProtectProc=invisible). As
            // postgres itself decides: a postmaster is there only while its shared memory block is attached.
            return ProcTable.IsAlive(pid) && file.SharedMemoryAttached ? (pid, false) : null;
        }

        var isPostgres = process.Program is "postgres" or "postmaster";

        // Its working folder is PGDATA (postgres chdirs there); where /proc/<pid>/cwd cannot be read (no
        // CAP_SYS_PTRACE in a container), the -D argument the worker starts it with says the same.
        var onData = string.Equals(ProcTable.CurrentDirectory(pid), dataDirectory, StringComparison.Ordinal)
            || HasDataArgument(process.Arguments, dataDirectory);
        return (pid, isPostgres && onData);
    }

    /// <summary>
    /// Removes a postmaster.pid that names this worker's own lineage (<see cref="ProcTable.IsOwnLineage"/>) while no
    /// process attaches the shared memory block it records: whoever wrote it is gone, but postgres's own check takes a
    /// live pid for another postmaster unless it is postgres's own, its parent's or its grandparent's, so a pid reused
    /// by one of the worker's threads (both run as postgres) stops it from ever starting ("lock file already exists").
    /// </summary>
    /// <returns>The pid the removed file named; null when there was nothing to remove.</returns>
    public static int? RemoveOwnLineagePidFile(string dataDirectory)
    {
        if (PostmasterPidFile.Read(dataDirectory) is not { Pid: { } pid } file || !ProcTable.IsOwnLineage(pid) || file.SharedMemoryAttached)
        {
            return null;
        }

        File.Delete(PostmasterPidFile.PathIn(dataDirectory));
        return pid;
    }

    private static bool HasDataArgument(IReadOnlyList<string> arguments, string dataDirectory)
    {
        for (var i = 0; i + 1 < arguments.Count; i++)
        {
            if (arguments[i] == "-D" && arguments[i + 1] == dataDirectory)
            {
                return true;
            }
        }

        return false;
    }
}
