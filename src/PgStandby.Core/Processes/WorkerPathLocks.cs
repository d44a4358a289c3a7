using System.Runtime.InteropServices;
using PgStandby.Core.Configuration;

namespace PgStandby.Core.Processes;

/// <summary>
/// Two standbys on one machine must not share the files one worker owns: each renders its run folder and
/// pgbackrest.conf, and pgBackRest keeps its archive lock, spool and logs per stanza in the folders it is given, so
/// two standbys of one stanza collide there. Each of these is locked (flock, released when the worker dies) for the
/// worker's life; one held by another worker is a refusal naming the variable to change.
/// </summary>
public sealed class WorkerPathLocks : IDisposable
{
    private readonly List<int> _held = [];

    /// <summary>
    /// The folders, and for the configuration file an empty folder beside it (a file would be rewritten by rename, and a
    /// lock file would trip anything that reads every file with .NET, which takes flock locks of its own), with the
    /// variable that sets each; the one beside the configuration is made by the worker, so a link there is refused.
    /// </summary>
    public static IReadOnlyList<(string Variable, string Path, bool Ours)> PathsOf(StandbyOptions options) =>
    [
        ("PGSTANDBY_RUN_DIR", options.RunDirectory, false),
        ("BACKREST_CONFIG", options.PgBackRestConfig + ".lock", true),
        ("BACKREST_LOCK_PATH", options.PgBackRestLockPath, false),
        ("BACKREST_SPOOL_PATH", options.PgBackRestSpoolPath, false),
        ("BACKREST_LOG_PATH", options.PgBackRestLogPath, false),
    ];

    /// <summary>Takes every lock; null when all are held, else what another worker holds and the fix.</summary>
    /// <exception cref="IOException">A path cannot be created or opened.</exception>
    public string? TryTakeAll(StandbyOptions options)
    {
        foreach (var (variable, path, ours) in PathsOf(options))
        {
            if (!ours || new FileInfo(path).LinkTarget is null)
            {
                Directory.CreateDirectory(path);
            }

            var fd = Native.Open(path, ours ? Native.OpenReadOnlyDirectory | Native.NoFollow : Native.OpenReadOnlyDirectory);
            if (fd < 0)
            {
                throw new IOException($"cannot open {path} to lock it (errno {Marshal.GetLastPInvokeError()})");
            }

            if (Native.Flock(fd, Native.LockExclusiveNonBlocking) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                _ = Native.Close(fd);
                return errno == Native.WouldBlock
                    ? $"another pgstandby uses {variable}={(ours ? options.PgBackRestConfig : path)} (it holds its lock): two standbys on one machine need their own PGSTANDBY_RUN_DIR, BACKREST_CONFIG, BACKREST_LOCK_PATH, BACKREST_SPOOL_PATH and BACKREST_LOG_PATH; set {variable} for this one"
                    : throw new IOException($"cannot lock {path} (errno {errno})");
            }

            _held.Add(fd);
        }

        return null;
    }

    public void Dispose()
    {
        foreach (var fd in _held)
        {
            _ = Native.Close(fd);
        }

        _held.Clear();
    }
}
