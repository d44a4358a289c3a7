using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Health;
using PgStandby.Core.Postgres;
using PgStandby.Core.Processes;
using PgStandby.Core.Repository;
using PgStandby.Core.Restore;
using PgStandby.Core.Ssh;
using PgStandby.Core.Tests.TestSupport;

namespace PgStandby.Core.Tests.Restore;

/// <summary>The re-sync loop: which backup, when to wait for a newer one, retries, and what it remembers across restarts.</summary>
public sealed class StandbyResyncTests : IDisposable
{
    private const string Newest = "20260301-120000F_20260302-120000I";

    private readonly TestWorld _world = new();
    private readonly Mock<IRemoteShell> _primary = new(MockBehavior.Strict);
    private readonly Mock<IBackupRestore> _restore = new(MockBehavior.Strict);
    private readonly HealthState _health;
    private readonly StandbyMemory _memory;
    private readonly StandbyResync _resync;

    public StandbyResyncTests()
    {
        _health = _world.CreateHealth();
        _primary.SetupGet(p => p.TrustedHostKey).Returns((string?)null);
        _primary.Setup(p => p.RunPgBackRestAsync(It.IsAny<IReadOnlyList<IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([new RemoteResult(0, PgBackRestInfoSamples.Ok, string.Empty), new RemoteResult(0, "pgBackRest 2.45\n", string.Empty)]);
        _restore.Setup(r => r.DeltaPossible()).Returns(true);
        var commands = new Mock<ICommandRunner>(MockBehavior.Strict).Object;
        var folders = new FolderPreparer(NullLogger<FolderPreparer>.Instance);
        _memory = new StandbyMemory(folders, Options.Create(_world.Repository), Options.Create(_world.Standby), NullLogger<StandbyMemory>.Instance);
        var waiter = new RepositoryWaiter(_primary.Object, _health, Options.Create(_world.Repository), Options.Create(_world.Standby), Options.Create(_world.Supervision), _world.Time, NullLogger<RepositoryWaiter>.Instance);
        var processes = new StandbyProcesses(
            new LeftoverProcesses(_world.Time, NullLogger<LeftoverProcesses>.Instance), new AdoptedPostmaster(), Options.Create(_world.Standby), Options.Create(_world.Supervision));
        _resync = new StandbyResync(
            waiter,
            _restore.Object,
            processes,
            _memory,
            new PostgresTools(commands, Options.Create(_world.Standby)),
            new ArchivedSegments(commands, Options.Create(_world.Repository), Options.Create(_world.Standby)),
            _health,
            Options.Create(_world.Repository),
            Options.Create(_world.Standby),
            Options.Create(_world.Supervision),
            _world.Time,
            NullLogger<StandbyResync>.Instance);
    }

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task ResyncAsync_RestoreSucceeds_DeltaFromTheNewestBackupAndRemembersItFinished()
    {
        // Arrange
        _restore.Setup(r => r.RestoreAsync(true, It.IsAny<RepositoryInfo>(), null, StandbyState.Resyncing, It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);

        // Act
        await _resync.ResyncAsync("a WAL gap", null, CancellationToken.None);

        // Assert
        _restore.Verify(r => r.RestoreAsync(true, It.IsAny<RepositoryInfo>(), null, StandbyState.Resyncing, "re-syncing (--delta): a WAL gap", It.IsAny<CancellationToken>()), Times.Once);
        var attempt = Assert.IsType<ResyncAttempt>(_memory.LastResync);
        Assert.Equal(Newest, attempt.Backup);
        Assert.True(attempt.Finished);
        Assert.Equal("a WAL gap", attempt.Reason);
    }

    [Fact]
    public async Task ResyncAsync_RestoreStopsForNow_RetriesAfterTheRetryIntervalAndRemembersItUnfinishedMeanwhile()
    {
        // Arrange
        var calls = 0;
        ResyncAttempt? duringFirst = null;
        _restore.Setup(r => r.RestoreAsync(true, It.IsAny<RepositoryInfo>(), null, StandbyState.Resyncing, It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() =>
            {
                duringFirst ??= _memory.LastResync;
                return ++calls > 1;
            });

        // Act
        var resyncing = _resync.ResyncAsync("a WAL gap", null, CancellationToken.None);
        await _world.Time.AdvanceUntilCompletedAsync(resyncing, _world.Supervision.RetryInterval);

        // Assert
        Assert.Equal(2, calls);
        Assert.False(duringFirst!.Finished);
        Assert.True(_memory.LastResync!.Finished);
    }

    [Fact]
    public async Task ResyncAsync_TheNewestBackupAlreadyLedBackHere_WaitsForANewerOneWithoutRestoring()
    {
        // Arrange
        _memory.Remember(new ResyncAttempt(Newest, null, "an earlier gap", TestWorld.Start, Finished: true));
        using var stopping = new CancellationTokenSource();

        // Act
        var resyncing = _resync.ResyncAsync("a WAL gap", null, stopping.Token);
        await FakeTimeExtensions.WaitUntilAsync(() => _health.State == StandbyState.WaitingForBackup);
        var waitedAt = _primary.Invocations.Count(i => i.Method.Name == nameof(IRemoteShell.RunPgBackRestAsync));
        await _world.Time.AdvanceUntilAsync(() => _primary.Invocations.Count(i => i.Method.Name == nameof(IRemoteShell.RunPgBackRestAsync)) > waitedAt + 1, _world.Supervision.RetryInterval);
        await stopping.CancelAsync();

        // Assert: asked the repository again each interval, never restored the same backup
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => resyncing);
        Assert.Contains($"re-syncing from backup {Newest} did not help (a WAL gap)", _health.Current.Reason, StringComparison.Ordinal);
        _restore.Verify(r => r.RestoreAsync(It.IsAny<bool>(), It.IsAny<RepositoryInfo>(), It.IsAny<string?>(), It.IsAny<StandbyState>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ReinitAsync_ForgetsIdentityAndEarlierResyncsThenResyncs()
    {
        // Arrange
        _memory.Remember(123UL, "15");
        _memory.Remember(new ResyncAttempt(Newest, null, "an earlier gap", TestWorld.Start, Finished: true));
        _restore.Setup(r => r.RestoreAsync(true, It.IsAny<RepositoryInfo>(), null, StandbyState.Resyncing, It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);

        // Act
        await _resync.ReinitAsync(CancellationToken.None);

        // Assert: the same backup is restored again (the operator asked), and the identity is no longer the old one
        _restore.Verify(r => r.RestoreAsync(true, It.IsAny<RepositoryInfo>(), null, StandbyState.Resyncing, It.Is<string>(s => s.Contains("pgstandby reinit --yes", StringComparison.Ordinal)), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Null(_memory.Identity);
        Assert.True(_memory.LastResync!.Finished);
        Assert.Equal(Newest, _memory.LastResync.Backup);
    }
}
