using System.Runtime.InteropServices;

namespace PgStandby.Core.Tests.TestSupport;

/// <summary>
/// Runs code on a thread of its own whose effective capabilities lack CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH: even
/// as root (CI), the file system's permission bits then apply to it as to an unprivileged worker. Capabilities
/// belong to a thread (capset(2) on pid 0), so the rest of the test process keeps root's.
/// </summary>
internal static partial class WithoutFileOverride
{
    private const uint LinuxCapabilityVersion3 = 0x20080522;
    private const int CapDacOverride = 1;
    private const int CapDacReadSearch = 2;

    public static T Run<T>(Func<T> action)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                DropFileOverride();
                result = action();
            }
            catch (Exception exception)
            {
                failure = exception;
            }
        });
        thread.Start();
        thread.Join();
        return failure is null ? result : throw new InvalidOperationException("the unprivileged thread failed", failure);
    }

    private static void DropFileOverride()
    {
        var header = new CapHeader { Version = LinuxCapabilityVersion3, Pid = 0 };
        var data = new CapData[2];
        if (CapGet(ref header, data) != 0)
        {
            throw new InvalidOperationException($"capget failed: errno {Marshal.GetLastPInvokeError()}");
        }

        data[0].Effective &= ~((1u << CapDacOverride) | (1u << CapDacReadSearch));
        if (CapSet(ref header, data) != 0)
        {
            throw new InvalidOperationException($"capset failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "capget", SetLastError = true)]
    private static partial int CapGet(ref CapHeader header, [In, Out] CapData[] data);

    [LibraryImport("libc", EntryPoint = "capset", SetLastError = true)]
    private static partial int CapSet(ref CapHeader header, [In] CapData[] data);

    [StructLayout(LayoutKind.Sequential)]
    private struct CapHeader
    {
        public uint Version;
        public int Pid;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CapData
    {
        public uint Effective;
        public uint Permitted;
        public uint Inheritable;
    }
}
