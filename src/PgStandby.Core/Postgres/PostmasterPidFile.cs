using System.Globalization;
using PgStandby.Core.Processes;

namespace PgStandby.Core.Postgres;

/// <summary>
/// PGDATA/postmaster.pid as postgres writes it: line 1 the postmaster's pid, line 7 "key shmid" of its System V shared
/// memory block, line 8 its status ("starting", "ready", "standby", "stopping"). Read without following a link.
/// </summary>
public sealed record PostmasterPidFile(int? Pid, int? SharedMemoryId, string? Status)
{
    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, "postmaster.pid");

    /// <summary>The file in <paramref name="dataDirectory"/>; null when there is none.</summary>
    public static PostmasterPidFile? Read(string dataDirectory) =>
        SafeFile.ReadText(PathIn(dataDirectory)) is { } content ? Parse(content) : null;

    public static PostmasterPidFile Parse(string content)
    {
        var lines = content.Split('\n');
        var shm = lines.Length >= 7 ? lines[6].Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
        return new PostmasterPidFile(
            int.TryParse(lines[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null,
            shm.Length >= 2 && int.TryParse(shm[1], NumberStyles.None, CultureInfo.InvariantCulture, out var shmid) ? shmid : null,
            lines.Length >= 8 ? lines[7].Trim() : null);
    }

    /// <summary>Whether a process attaches the shared memory block the file records (false when it records none).</summary>
    public bool SharedMemoryAttached => SharedMemoryId is { } id && ProcTable.SharedMemoryAttached(id);
}
