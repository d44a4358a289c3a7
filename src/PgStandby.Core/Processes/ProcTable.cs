using System.Runtime.InteropServices;

namespace PgStandby.Core.Processes;

/// <summary>One process as /proc shows it: its pid and its command line.</summary>
public sealed record ProcessEntry(int Pid, IReadOnlyList<string> Arguments)
{
    public string Command => string.Join(' ', Arguments);

    public string Program => Arguments.Count > 0 ? Path.GetFileName(Arguments[0]) : string.Empty;
}

/// <summary>
/// What /proc says about other processes. Each answer is read when asked and may be gone a moment later; anything
/// /proc hides (hidepid, ProtectProc=invisible) or that exits in between reads as "unknown" (null), never throws.
/// </summary>
public static class ProcTable
{
    /// <summary>Every process but this one whose command line can be read.</summary>
    public static IEnumerable<ProcessEntry> Scan()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && pid != Environment.ProcessId && Read(pid) is { } entry)
            {
                yield return entry;
            }
        }
    }

    public static ProcessEntry? Read(int pid)
    {
        try
        {
            var raw = File.ReadAllText($"/proc/{pid}/cmdline");
            return new ProcessEntry(pid, raw.Split('\0', StringSplitOptions.RemoveEmptyEntries));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static bool IsAlive(int pid) =>
        Native.Kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() == 1 /* EPERM: alive, not ours to signal */;

    public static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var afterName = stat.LastIndexOf(')');
            return afterName > 0 && afterName + 2 < stat.Length && stat[afterName + 2] == 'Z';
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The process's working folder; null where it cannot be read (no CAP_SYS_PTRACE in a container).</summary>
    public static string? CurrentDirectory(int pid)
    {
        try
        {
            return new DirectoryInfo($"/proc/{pid}/cwd").ResolveLinkTarget(returnFinalTarget: false)?.FullName;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// This process, one of its threads, its parent or its grandparent: what postgres's own lock-file logic never
    /// takes for another postmaster. After a container is killed and started again, a fresh pid namespace hands out
    /// the same small numbers, so the pid an old postmaster.pid names is often the new worker's own (or a thread's).
    /// </summary>
    public static bool IsOwnLineage(int pid)
    {
        var self = Environment.ProcessId;
        if (pid == self || ThreadGroupOf(pid) == self)
        {
            return true;
        }

        var parent = ParentOf(self);
        return parent is { } p && (pid == p || pid == ParentOf(p));
    }

    /// <summary>Whether a process attaches the System V shared memory block <paramref name="shmid"/>; true when it cannot be told.</summary>
    public static bool SharedMemoryAttached(int shmid)
    {
        try
        {
            // key shmid perms size cpid lpid nattch …
            var id = shmid.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return File.ReadLines("/proc/sysvipc/shm").Skip(1)
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Any(f => f.Length > 6 && f[1] == id && int.TryParse(f[6], out var attached) && attached > 0);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return true; // cannot tell: not stale
        }
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
}
