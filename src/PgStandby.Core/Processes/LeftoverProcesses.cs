using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using PgStandby.Core.Configuration;
using PgStandby.Core.Diagnostics;

namespace PgStandby.Core.Processes;

/// <summary>
/// A worker that was killed (SIGKILL, OOM) leaves its children running: a pgbackrest restore still
/// writing into PGDATA, or its postgres. Before deciding anything, the next worker stops them.
/// </summary>
public sealed class LeftoverProcesses(TimeProvider time, ILogger<LeftoverProcesses> logger)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Stops every pgbackrest process started with our config file (restore, its locals, the detached
    /// asynchronous archive-get), every ssh started with our ssh_config (pgBackRest's connections) and the
    /// shared connection listening on our control socket (OpenSSH names it "ssh: SOCKET [mux]").
    /// </summary>
    /// <param name="leftByEarlierWorker">At start: what it finds was left by a killed worker (a warning).
    /// Otherwise the worker stops its own, as it stops or re-syncs.</param>
    public async Task StopPgBackRestAsync(StandbyOptions standby, bool leftByEarlierWorker, CancellationToken cancellationToken)
    {
        var files = new RunFiles(standby);
        var marker = "--config=" + standby.PgBackRestConfig;
        var master = $"ssh: {files.SshControlSocket} [mux]";
        var found = Scan().Where(p => p.Arguments.Count > 0 && (
            (Path.GetFileName(p.Arguments[0]) == "pgbackrest" && p.Arguments.Contains(marker))
            || (Path.GetFileName(p.Arguments[0]) == "ssh" && p.Arguments.Contains(files.SshConfig))
            || p.Arguments[0] == master)).ToList();
        foreach (var process in found)
        {
            _ = Native.Kill(process.Pid, Native.SigTerm);
        }

        await WaitGoneAsync(found, TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        foreach (var process in found.Where(p => IsAlive(p.Pid)))
        {
            _ = Native.Kill(process.Pid, Native.SigKill);
        }

        foreach (var process in found)
        {
            if (leftByEarlierWorker)
            {
                Log.LeftoverStopped(logger, process.Pid, string.Join(' ', process.Arguments));
            }
            else
            {
                Log.PgBackRestStopped(logger, process.Pid, string.Join(' ', process.Arguments));
            }
        }
    }

    /// <summary>
    /// The postgres postmaster.pid names: null when there is none alive (no file, or a stale one postgres
    /// itself replaces); otherwise its pid and whether it is a postgres running on <paramref name="dataDirectory"/>.
    /// </summary>
    public static (int Pid, bool OnThisDataDirectory)? FindPostmaster(string dataDirectory)
    {
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        if (SafeFile.ReadText(pidFile) is not { } content || !int.TryParse(content.Split('\n')[0].Trim(), out var pid) || !IsAlive(pid)
            || IsOwnLineage(pid))
        {
            return null;
        }

        var process = Read(pid);
        if (process is null)
        {
            // Alive but unreadable (it exited in between, or /proc hides it: hidepid, ProtectProc=invisible). As
            // postgres itself decides: a postmaster is there only while its shared memory block is attached.
            return IsAlive(pid) && SharedMemoryAttached(content) ? (pid, false) : null;
        }

        var isPostgres = process is not null && Path.GetFileName(process.Arguments.Count > 0 ? process.Arguments[0] : string.Empty) is "postgres" or "postmaster";
        // Its working folder is PGDATA (postgres chdirs there); where /proc/<pid>/cwd cannot be read (no
        // CAP_SYS_PTRACE in a container), the -D argument the worker starts it with says the same.
        var onData = string.Equals(CurrentDirectory(pid), dataDirectory, StringComparison.Ordinal)
            || HasDataArgument(process!.Arguments, dataDirectory);
        return (pid, isPostgres && onData);
    }

    /// <summary>
    /// Removes a postmaster.pid that names this worker's own lineage (<see cref="IsOwnLineage"/>) while no process
    /// attaches the shared memory block it records: whoever wrote it is gone, but postgres's own check takes a live pid
    /// for another postmaster unless it is postgres's own, its parent's or its grandparent's, so a pid reused by one of
    /// the worker's threads (both run as postgres) stops it from ever starting ("lock file already exists").
    /// </summary>
    /// <returns>The pid the removed file named; null when there was nothing to remove.</returns>
    public static int? RemoveOwnLineagePidFile(string dataDirectory)
    {
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        if (SafeFile.ReadText(pidFile) is not { } content || !int.TryParse(content.Split('\n')[0].Trim(), out var pid)
            || !IsOwnLineage(pid) || SharedMemoryAttached(content))
        {
            return null;
        }

        File.Delete(pidFile);
        return pid;
    }

    /// <summary>
    /// This process, one of its threads, its parent or its grandparent: what postgres's own lock-file logic never
    /// takes for another postmaster. After a container is killed and started again, a fresh pid namespace hands out
    /// the same small numbers, so the pid an old postmaster.pid names is often the new worker's own (or a thread's).
    /// </summary>
    internal static bool IsOwnLineage(int pid)
    {
        var self = Environment.ProcessId;
        if (pid == self || ThreadGroupOf(pid) == self)
        {
            return true;
        }

        var parent = ParentOf(self);
        return parent is { } p && (pid == p || pid == ParentOf(p));
    }

    private static int? ParentOf(int pid) => StatusField(pid, "PPid:");

    private static int? ThreadGroupOf(int pid) => StatusField(pid, "Tgid:");

    private static int? StatusField(int pid, string label)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(label, StringComparison.Ordinal));
            return line is not null && int.TryParse(line[label.Length..].Trim(), out var value) ? value : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>postmaster.pid's 7th line is "key shmid" of postgres's System V block; /proc/sysvipc/shm says how many attach it.</summary>
    internal static bool SharedMemoryAttached(string postmasterPid)
    {
        var lines = postmasterPid.Split('\n');
        var fields = lines.Length >= 7 ? lines[6].Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
        if (fields.Length < 2 || !int.TryParse(fields[1], out _))
        {
            return false;
        }

        try
        {
            // key shmid perms size cpid lpid nattch …
            return File.ReadLines("/proc/sysvipc/shm").Skip(1)
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Any(f => f.Length > 6 && f[1] == fields[1] && int.TryParse(f[6], out var attached) && attached > 0);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return true; // cannot tell: not stale
        }
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

    /// <summary>Stops a postgres with a fast shutdown (SIGINT), killing it after <paramref name="timeout"/>.</summary>
    public async Task StopPostmasterAsync(int pid, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var process = Read(pid);
        if (process is null)
        {
            return;
        }

        _ = Native.Kill(pid, Native.SigInt);
        await WaitGoneAsync([process], timeout, cancellationToken).ConfigureAwait(false);
        if (IsAlive(pid))
        {
            _ = Native.Kill(pid, Native.SigKill);
        }

        Log.LeftoverStopped(logger, pid, string.Join(' ', process.Arguments));
    }

    /// <summary>Waits until <paramref name="pid"/> is gone (polling: it is not our child).</summary>
    public async Task WaitForExitAsync(int pid, CancellationToken cancellationToken)
    {
        while (IsAlive(pid) && !IsZombie(pid))
        {
            await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var afterName = stat.LastIndexOf(')');
            return afterName > 0 && afterName + 2 < stat.Length && stat[afterName + 2] == 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private async Task WaitGoneAsync(IReadOnlyList<ProcessEntry> processes, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        while (processes.Any(p => IsAlive(p.Pid)) && time.GetUtcNow() < deadline)
        {
            await Task.Delay(Poll, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsAlive(int pid) =>
        Native.Kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() == 1 /* EPERM: alive, not ours to signal */;

    private static string? CurrentDirectory(int pid)
    {
        try
        {
            return new DirectoryInfo($"/proc/{pid}/cwd").ResolveLinkTarget(returnFinalTarget: false)?.FullName;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static IEnumerable<ProcessEntry> Scan()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && pid != Environment.ProcessId && Read(pid) is { } entry)
            {
                yield return entry;
            }
        }
    }

    private static ProcessEntry? Read(int pid)
    {
        try
        {
            var raw = File.ReadAllText($"/proc/{pid}/cmdline");
            return new ProcessEntry(pid, raw.Split('\0', StringSplitOptions.RemoveEmptyEntries));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private sealed record ProcessEntry(int Pid, IReadOnlyList<string> Arguments);
}
