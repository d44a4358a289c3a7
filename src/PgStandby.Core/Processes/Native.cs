using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace PgStandby.Core.Processes;

/// <summary>The few libc calls .NET does not expose: ownership, signals, the effective user.</summary>
internal static partial class Native
{
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Chown(string path, int owner, int group);

    [LibraryImport("libc", EntryPoint = "lchown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int LChown(string path, int owner, int group);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    public static int OpenReadOnlyDirectory => DirectoryOnly | CloseOnExec;
    public const int LockExclusiveNonBlocking = 2 /* LOCK_EX */ | 4 /* LOCK_NB */;
    public const int WouldBlock = 11; // EWOULDBLOCK

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    public static partial int Flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial int GetEffectiveUserId();

    // open(2) flags that differ between x64 and arm64 Linux (asm-generic on arm64).
    private static bool Arm => RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm;

    public static int NoFollow => Arm ? 0x8000 : 0x20000;

    public static int DirectoryOnly => Arm ? 0x4000 : 0x10000;

    public const int CloseOnExec = 0x80000;
    public const int NonBlocking = 0x800;
    public const int SymlinkLoop = 40; // ELOOP: O_NOFOLLOW met a symbolic link
    public const int NotDirectory = 20; // ENOTDIR
    public const int NoEntry = 2; // ENOENT
    public const int AtSymlinkNoFollow = 0x100;
    public const int AtEmptyPath = 0x1000;

    [LibraryImport("libc", EntryPoint = "openat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int OpenAt(SafeFileHandle directory, string path, int flags);

    [LibraryImport("libc", EntryPoint = "fchown", SetLastError = true)]
    public static partial int FChown(SafeFileHandle fd, int owner, int group);

    [LibraryImport("libc", EntryPoint = "fchownat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int FChownAt(SafeFileHandle directory, string path, int owner, int group, int flags);

    /// <summary>statx(2): its buffer's layout is the same on every architecture, unlike struct stat.</summary>
    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static unsafe partial int Statx(SafeFileHandle directory, string path, int flags, uint mask, byte* buffer);
}
