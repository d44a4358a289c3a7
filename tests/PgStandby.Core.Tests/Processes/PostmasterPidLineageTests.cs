using System.Diagnostics;
using System.Globalization;
using PgStandby.Core.Processes;
using PgStandby.Core.Tests.TestSupport;

namespace PgStandby.Core.Tests.Processes;

/// <summary>
/// A postmaster.pid left by a killed container names a pid that a fresh pid namespace may give the new worker
/// itself, one of its threads or its parent: never "another postmaster" (which would refuse with 78 for ever).
/// </summary>
public sealed class PostmasterPidLineageTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _data;

    public PostmasterPidLineageTests()
    {
        _data = _temp.Combine("data");
        Directory.CreateDirectory(_data);
    }

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> OwnLineage => new() { "self", "thread", "parent" };

    [Theory]
    [MemberData(nameof(OwnLineage))]
    public void FindPostmaster_PidIsTheWorkersOwnLineage_Stale(string who)
    {
        // Arrange
        WritePostmasterPid(who switch
        {
            "self" => Environment.ProcessId,
            "thread" => OneOfOurThreads(),
            _ => ParentPid(),
        });

        // Act
        var found = LeftoverProcesses.FindPostmaster(_data);

        // Assert
        Assert.Null(found);
    }

    [Fact]
    public void FindPostmaster_PidIsAnotherLiveProgram_ForeignNotOurs()
    {
        // Arrange
        using var other = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        try
        {
            WritePostmasterPid(other.Id);

            // Act
            var found = LeftoverProcesses.FindPostmaster(_data);

            // Assert
            Assert.Equal((other.Id, false), found);
        }
        finally
        {
            other.Kill();
            other.WaitForExit();
        }
    }

    [Fact]
    public void SharedMemoryAttached_SegmentNotInTheSystem_False()
    {
        // Act
        var attached = LeftoverProcesses.SharedMemoryAttached("4242\n/data\n1\n5432\n/run\n*\n  5432001 2147000000\nready\n");

        // Assert
        Assert.False(attached);
    }

    [Fact]
    public void SharedMemoryAttached_NoShmemLine_False()
    {
        // Act
        var attached = LeftoverProcesses.SharedMemoryAttached("4242\n/data\n");

        // Assert
        Assert.False(attached);
    }

    private void WritePostmasterPid(int pid) =>
        File.WriteAllLines(Path.Combine(_data, "postmaster.pid"), [pid.ToString(CultureInfo.InvariantCulture), _data, "0", "5432", "/run/postgresql", "*", "  5432001 0", "ready"]);

    private static int OneOfOurThreads() =>
        Directory.EnumerateDirectories("/proc/self/task").Select(d => int.Parse(Path.GetFileName(d), CultureInfo.InvariantCulture))
            .First(t => t != Environment.ProcessId);

    private static int ParentPid() =>
        int.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("PPid:", StringComparison.Ordinal))[5..].Trim(), CultureInfo.InvariantCulture);
}
