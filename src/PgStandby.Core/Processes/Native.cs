using System.Runtime.InteropServices;

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

    public const int OpenReadOnlyDirectory = 0x10000 /* O_DIRECTORY */ | 0x80000 /* O_CLOEXEC */;
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
}
