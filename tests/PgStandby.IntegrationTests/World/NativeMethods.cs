using System.Runtime.InteropServices;

namespace PgStandby.IntegrationTests.World;

internal static partial class NativeMethods
{
    public const int SigKill = 9;
    public const int SigTerm = 15;
    public const int SigStop = 19;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
