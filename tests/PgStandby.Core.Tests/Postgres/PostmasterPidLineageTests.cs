using System.Diagnostics;
using System.Globalization;
using PgStandby.Core.Tests.TestSupport;
using PgStandby.Core.Postgres;

namespace PgStandby.Core.Tests.Postgres;

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
        var found = RunningPostmaster.Find(_data);

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
            var found = RunningPostmaster.Find(_data);

            // Assert
            Assert.Equal((other.Id, false), found);
        }
        finally
        {
            other.Kill();
            other.WaitForExit();
        }
    }

    [Theory]
    [MemberData(nameof(OwnLineage))]
    public void RemoveOwnLineagePidFile_PidIsTheWorkersOwnLineage_RemovesTheFile(string who)
    {
        // Arrange
        var pid = who switch
        {
            "self" => Environment.ProcessId,
            "thread" => OneOfOurThreads(),
            _ => ParentPid(),
        };
        WritePostmasterPid(pid);

        // Act
        var removed = RunningPostmaster.RemoveOwnLineagePidFile(_data);

        // Assert
        Assert.Equal(pid, removed);
        Assert.False(File.Exists(PidFile));
    }

    [Fact]
    public void RemoveOwnLineagePidFile_SharedMemoryStillAttached_KeepsTheFile()
    {
        // Arrange: the old postmaster is gone but something (an orphaned backend) still attaches its block.
        using var block = new AttachedSharedMemory();
        WritePostmasterPid(OneOfOurThreads(), block.Id);

        // Act
        var removed = RunningPostmaster.RemoveOwnLineagePidFile(_data);

        // Assert
        Assert.Null(removed);
        Assert.True(File.Exists(PidFile));
    }

    [Fact]
    public void RemoveOwnLineagePidFile_PidIsAnotherLiveProgram_KeepsTheFile()
    {
        // Arrange
        using var other = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        try
        {
            WritePostmasterPid(other.Id);

            // Act
            var removed = RunningPostmaster.RemoveOwnLineagePidFile(_data);

            // Assert
            Assert.Null(removed);
            Assert.True(File.Exists(PidFile));
        }
        finally
        {
            other.Kill();
            other.WaitForExit();
        }
    }

    [Fact]
    public void RemoveOwnLineagePidFile_NoFile_Null()
    {
        // Act
        var removed = RunningPostmaster.RemoveOwnLineagePidFile(_data);

        // Assert
        Assert.Null(removed);
    }

    [Fact]
    public void SharedMemoryAttached_SegmentNotInTheSystem_False()
    {
        // Act
        var attached = PostmasterPidFile.Parse("4242\n/data\n1\n5432\n/run\n*\n  5432001 2147000000\nready\n").SharedMemoryAttached;

        // Assert
        Assert.False(attached);
    }

    [Fact]
    public void SharedMemoryAttached_NoShmemLine_False()
    {
        // Act
        var attached = PostmasterPidFile.Parse("4242\n/data\n").SharedMemoryAttached;

        // Assert
        Assert.False(attached);
    }

    private string PidFile => Path.Combine(_data, "postmaster.pid");

    /// <param name="shmid">The shared memory block's id on the 7th line; by default one no system has.</param>
    private void WritePostmasterPid(int pid, int shmid = 2147000000) =>
        File.WriteAllLines(PidFile, [pid.ToString(CultureInfo.InvariantCulture), _data, "0", "5432", "/run/postgresql", "*", "  5432001 " + shmid.ToString(CultureInfo.InvariantCulture), "ready"]);

    private static int OneOfOurThreads() =>
        Directory.EnumerateDirectories("/proc/self/task").Select(d => int.Parse(Path.GetFileName(d), CultureInfo.InvariantCulture))
            .First(t => t != Environment.ProcessId);

    private static int ParentPid() =>
        int.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("PPid:", StringComparison.Ordinal))[5..].Trim(), CultureInfo.InvariantCulture);
}
