using Moq;
using PgStandby.Core.Health;
using PgStandby.Core.Processes;
using PgStandby.Core.Replication;
using PgStandby.Core.Tests.TestSupport;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Supervision;
using PgStandby.Core.Tests.Postgres;

namespace PgStandby.Core.Tests.Supervision;

/// <summary>
/// restore_command's own output (pgBackRest's, unprefixed) saying it cannot write a WAL segment into PGDATA while
/// postgres starts: a full disk only when PGDATA's file system has less than a segment (16 MiB) free.
/// </summary>
public sealed class RestoreCommandDiskFullTests : IDisposable
{
    private const long WalSegment = 16 * 1024 * 1024;

    private readonly TestWorld _world = new();
    private readonly Mock<ICommandRunner> _commands = new(MockBehavior.Strict);
    private readonly Mock<IStandbyQueries> _queries = new(MockBehavior.Strict);
    private readonly List<string> _askedFreeSpaceOf = [];
    private readonly HealthState _health;

    public RestoreCommandDiskFullTests()
    {
        Directory.CreateDirectory(_world.Standby.DataDirectory);
        Directory.CreateDirectory(_world.Standby.RunDirectory);
        _health = _world.CreateHealth();
        _queries.Setup(q => q.IsAcceptingConnectionsAsync(It.IsAny<CancellationToken>())).ReturnsAsync(true);
        _commands.Setup(c => c.RunAsync(It.Is<CommandSpec>(spec => spec.FileName.EndsWith("pg_controldata", StringComparison.Ordinal)), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new CommandResult(0, ControlDataTests.RaisedSample, string.Empty));
        _commands.Setup(c => c.RunAsync(It.Is<CommandSpec>(spec => spec.FileName == "pgbackrest" && spec.Arguments.Contains("archive-get")), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new CommandResult(1, string.Empty, "unable to find 000000010000000000000000 in the archive"));
    }

    public void Dispose() => _world.Dispose();

    private string UnableToWrite =>
        $"ERROR: [064]: unable to write '{_world.Standby.DataDirectory}/pg_wal/RECOVERYXLOG': [28] No space left on device";

    [Fact]
    public async Task SuperviseAsync_RestoreCommandCannotWriteIntoPgDataWithLessThanASegmentFree_DiskFull()
    {
        // Arrange: postgres keeps running and retrying, as it does when restore_command fails.
        var supervisor = CreateSupervisor(freeBytes: WalSegment - 1);
        RunPostgres(readyAfterLine: false);
        using var stopping = new CancellationTokenSource();

        // Act
        var supervising = supervisor.SuperviseAsync(() => { }, stopping.Token);
        await FakeTimeExtensions.WaitUntilAsync(() => _health.State == StandbyState.DiskFull);
        var current = _health.Current;
        await stopping.CancelAsync();
        await supervising.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Contains("file system is full", current.Reason, StringComparison.Ordinal);
        Assert.Contains("unable to write", current.Reason, StringComparison.Ordinal);
        Assert.Contains("make room", current.NextStep, StringComparison.Ordinal);
        Assert.Equal([_world.Standby.DataDirectory], _askedFreeSpaceOf);
        Assert.Equal(0, supervisor.Restarts);
    }

    [Fact]
    public async Task SuperviseAsync_RestoreCommandCannotWriteIntoPgDataWithPlentyFree_NotDiskFull()
    {
        // Arrange
        var supervisor = CreateSupervisor(freeBytes: 50L * 1024 * 1024 * 1024);
        RunPostgres(readyAfterLine: true);
        using var stopping = new CancellationTokenSource();
        StandbyState? whenReady = null;

        // Act: the state when postgres is ready is what the line left (nothing else sets one before).
        var supervising = supervisor.SuperviseAsync(() => whenReady = _health.State, stopping.Token);
        await FakeTimeExtensions.WaitUntilAsync(() => whenReady is not null);
        await stopping.CancelAsync();
        await supervising.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert: the free space was asked, and it said no.
        Assert.Equal([_world.Standby.DataDirectory], _askedFreeSpaceOf);
        Assert.Equal(StandbyState.StartingPostgres, whenReady);
    }

    private PostgresSupervisor CreateSupervisor(long freeBytes) =>
        SupervisorFactory.Create(_world, _health, _commands.Object, _queries.Object, freeBytesOf: path =>
        {
            lock (_askedFreeSpaceOf)
            {
                _askedFreeSpaceOf.Add(path);
            }

            return freeBytes;
        });

    /// <summary>postgres writes restore_command's line, then accepts connections or keeps retrying until the host stops.</summary>
    private void RunPostgres(bool readyAfterLine) =>
        _commands.Setup(c => c.RunStreamingAsync(It.IsAny<CommandSpec>(), It.IsAny<Action<string>>(), It.IsAny<CancellationToken>(), It.IsAny<CancellationToken>()))
            .Returns<CommandSpec, Action<string>, CancellationToken, CancellationToken>(async (spec, onLine, _, graceful) =>
            {
                onLine(UnableToWrite);
                if (readyAfterLine)
                {
                    // What a real hot standby writes once it accepts connections (line 8 of postmaster.pid); without it, not ready.
                    File.WriteAllLines(Path.Combine(spec.Arguments[1], "postmaster.pid"), ["4242", spec.Arguments[1], "0", "5432", "/run/postgresql", "*", "0 0", "standby"]);
                }

                await Task.Delay(Timeout.Infinite, graceful).ContinueWith(_ => { }, TaskScheduler.Default);
                return 0;
            });
}
