using PgStandby.Core.Configuration;
using PgStandby.Core.Processes;
using PgStandby.Core.Tests.TestSupport;

namespace PgStandby.Core.Tests.Processes;

/// <summary>Two standbys on one machine: each path one worker owns is locked for its life; a shared one names its variable.</summary>
public sealed class WorkerPathLocksTests : IDisposable
{
    private readonly TestWorld _world = new();

    public void Dispose() => _world.Dispose();

    [Fact]
    public void TryTakeAll_SecondWorkerWithTheSameSettings_RefusedNamingTheRunFolder()
    {
        // Arrange
        using var first = new WorkerPathLocks();
        using var second = new WorkerPathLocks();

        // Act
        var firstProblem = first.TryTakeAll(_world.Standby);
        var secondProblem = second.TryTakeAll(_world.Standby);

        // Assert
        Assert.Null(firstProblem);
        Assert.StartsWith($"another pgstandby uses PGSTANDBY_RUN_DIR={_world.Standby.RunDirectory}", secondProblem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("BACKREST_CONFIG")]
    [InlineData("BACKREST_LOCK_PATH")]
    [InlineData("BACKREST_SPOOL_PATH")]
    [InlineData("BACKREST_LOG_PATH")]
    public void TryTakeAll_OnlyOnePathShared_RefusedNamingThatVariable(string shared)
    {
        // Arrange: the other standby has its own everything but this one
        var other = Elsewhere(_world.Standby, _world.Temp.Combine("other"), shared);
        using var first = new WorkerPathLocks();
        using var second = new WorkerPathLocks();
        Assert.Null(first.TryTakeAll(_world.Standby));

        // Act
        var problem = second.TryTakeAll(other);

        // Assert
        Assert.StartsWith($"another pgstandby uses {shared}=", problem, StringComparison.Ordinal);
        Assert.Contains($"set {shared} for this one", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TryTakeAll_FirstWorkerGone_SecondTakesThem()
    {
        // Arrange
        var first = new WorkerPathLocks();
        Assert.Null(first.TryTakeAll(_world.Standby));
        first.Dispose();
        using var second = new WorkerPathLocks();

        // Act
        var problem = second.TryTakeAll(_world.Standby);

        // Assert
        Assert.Null(problem);
    }

    [Fact]
    public void TryTakeAll_ConfigLockIsALink_RefusedWithoutCreatingItsTarget()
    {
        // Arrange
        var target = _world.Temp.Combine("elsewhere", "created-by-root");
        Directory.CreateDirectory(Path.GetDirectoryName(_world.Standby.PgBackRestConfig)!);
        File.CreateSymbolicLink(_world.Standby.PgBackRestConfig + ".lock", target);
        using var locks = new WorkerPathLocks();

        // Act
        var error = Assert.Throws<IOException>(() => locks.TryTakeAll(_world.Standby));

        // Assert
        Assert.Contains(".lock", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(target));
    }

    private static StandbyOptions Elsewhere(StandbyOptions shared, string root, string keep) => new()
    {
        DataDirectory = Path.Combine(root, "data"),
        RunDirectory = Path.Combine(root, "run"),
        PgBackRestConfig = keep == "BACKREST_CONFIG" ? shared.PgBackRestConfig : Path.Combine(root, "etc", "pgbackrest.conf"),
        PgBackRestLockPath = keep == "BACKREST_LOCK_PATH" ? shared.PgBackRestLockPath : Path.Combine(root, "lock"),
        PgBackRestSpoolPath = keep == "BACKREST_SPOOL_PATH" ? shared.PgBackRestSpoolPath : Path.Combine(root, "spool"),
        PgBackRestLogPath = keep == "BACKREST_LOG_PATH" ? shared.PgBackRestLogPath : Path.Combine(root, "log"),
    };
}
