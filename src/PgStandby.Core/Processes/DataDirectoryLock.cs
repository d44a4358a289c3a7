using System.Runtime.InteropServices;

namespace PgStandby.Core.Processes;

/// <summary>
/// One worker per PGDATA: an exclusive flock on the PGDATA folder itself, held for the worker's life.
/// Locking the folder (not a file in it) survives a --delta restore, writes nothing into PGDATA, and is
/// seen by every worker that mounts the same volume. The descriptor is close-on-exec: postgres does not
/// inherit it, and the kernel releases it when the worker dies, however it dies.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    private int _fd = -1;

    public bool IsHeld => _fd >= 0;

    /// <summary>Takes the lock; false when another process holds it.</summary>
    /// <exception cref="IOException">PGDATA cannot be opened.</exception>
    public bool TryAcquire(string dataDirectory)
    {
        if (IsHeld)
        {
            return true;
        }

        var fd = Native.Open(dataDirectory, Native.OpenReadOnlyDirectory);
        if (fd < 0)
        {
            throw new IOException($"cannot open {dataDirectory} to lock it (errno {Marshal.GetLastPInvokeError()})");
        }

        if (Native.Flock(fd, Native.LockExclusiveNonBlocking) == 0)
        {
            _fd = fd;
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        _ = Native.Close(fd);
        return errno == Native.WouldBlock ? false : throw new IOException($"cannot lock {dataDirectory} (errno {errno})");
    }

    public void Dispose()
    {
        if (_fd >= 0)
        {
            _ = Native.Close(_fd);
            _fd = -1;
        }
    }
}
