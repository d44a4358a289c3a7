using System.Runtime.InteropServices;

namespace PgStandby.Core.Tests.TestSupport;

/// <summary>
/// A System V shared memory block this test process creates and keeps attached, as a postmaster's children keep
/// theirs: /proc/sysvipc/shm counts one attachment. Removed on dispose.
/// </summary>
internal sealed partial class AttachedSharedMemory : IDisposable
{
    private const int IpcPrivate = 0;
    private const int IpcCreate = 0x200; // IPC_CREAT, with mode 600 in the low bits
    private const int IpcRemove = 0; // IPC_RMID

    private readonly nint _address;

    public AttachedSharedMemory()
    {
        Id = ShmGet(IpcPrivate, 4096, IpcCreate | 0x180);
        if (Id < 0)
        {
            throw new InvalidOperationException("shmget failed: errno " + Marshal.GetLastPInvokeError());
        }

        _address = ShmAt(Id, 0, 0);
        if (_address == -1)
        {
            _ = ShmCtl(Id, IpcRemove, 0);
            throw new InvalidOperationException("shmat failed: errno " + Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>The shmid postgres records on postmaster.pid's 7th line, after the key.</summary>
    public int Id { get; }

    public void Dispose()
    {
        _ = ShmDt(_address);
        _ = ShmCtl(Id, IpcRemove, 0);
    }

    [LibraryImport("libc", EntryPoint = "shmget", SetLastError = true)]
    private static partial int ShmGet(int key, nuint size, int flags);

    [LibraryImport("libc", EntryPoint = "shmat", SetLastError = true)]
    private static partial nint ShmAt(int id, nint address, int flags);

    [LibraryImport("libc", EntryPoint = "shmdt", SetLastError = true)]
    private static partial int ShmDt(nint address);

    [LibraryImport("libc", EntryPoint = "shmctl", SetLastError = true)]
    private static partial int ShmCtl(int id, int command, nint buffer);
}
