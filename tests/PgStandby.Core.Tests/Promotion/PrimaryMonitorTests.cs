using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using PgStandby.Core.Health;
using PgStandby.Core.Promotion;
using PgStandby.Core.Replication;
using PgStandby.Core.Tests.TestSupport;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Postgres;

namespace PgStandby.Core.Tests.Promotion;

public sealed class PrimaryMonitorTests : IDisposable
{
    private static readonly PromotionRecord Promotion = new(
        7712786763852387577, 2, 1, TestWorld.Start, "postgres_master:5432", PromotionRecord.ByCommand, "0/5000060");

    private static readonly NodeFacts Primary = new(InRecovery: false, 7712786763852387577, 2, "0/5000060", ReadOnly: false);
    private static readonly PrimaryAnswer Writable = new(Answered: true, Writable: true, Problem: null);
    private static readonly PrimaryAnswer Silent = new(Answered: false, Writable: null, Problem: "connection refused");

    private readonly TestWorld _world = new();
    private readonly CountingTimeProvider _time = new(TestWorld.Start);
    private readonly Mock<ILocalNode> _node = new(MockBehavior.Strict);
    private readonly Mock<IStandbyQueries> _queries = new(MockBehavior.Strict);
    private readonly NodeRole _role = new();
    private readonly HealthState _health;
    private readonly PrimaryMonitor _monitor;
    private int _samples;

    public PrimaryMonitorTests()
    {
        Directory.CreateDirectory(_world.Standby.RunDirectory);
        _health = _world.CreateHealth();
        _role.BecomePrimary(Promotion);
        _monitor = new PrimaryMonitor(
            _node.Object,
            _queries.Object,
            _role,
            _health,
            Options.Create(_world.Replication),
            Options.Create(_world.Supervision),
            _time,
            NullLogger<PrimaryMonitor>.Instance);
        _node.Setup(n => n.FactsAsync(It.IsAny<CancellationToken>()))
            .Callback(() => Interlocked.Increment(ref _samples))
            .ReturnsAsync(Primary);
    }

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task MonitorAsync_OldPrimaryAnswersAsAPrimary_PrimaryStateSaysSoAndStatusFlagsIt()
    {
        // Arrange
        using var stopping = new CancellationTokenSource();
        _queries.Setup(q => q.AskPrimaryAsync(It.IsAny<CancellationToken>())).ReturnsAsync(Writable);

        // Act
        var monitoring = _monitor.MonitorAsync(stopping.Token);
        await FakeTimeExtensions.WaitUntilAsync(() => _time.TimersCreated == 1);

        // Assert
        Assert.Equal(StandbyState.Primary, _health.State);
        Assert.Contains("the OLD PRIMARY postgres_master:5432 ANSWERS AS A PRIMARY AGAIN", _health.Current.Reason, StringComparison.Ordinal);
        Assert.Contains("stop the old primary postgres_master:5432", _health.Current.NextStep, StringComparison.Ordinal);
        Assert.True(_health.Current.OldPrimaryWritable);
        Assert.True(StatusFile.Read(_world.Standby.RunDirectory)?.OldPrimaryWritable);
        await StopAsync(stopping, monitoring);
    }

    [Fact]
    public async Task MonitorAsync_OldPrimarySilent_PrimaryWithoutTheWarning()
    {
        // Arrange
        using var stopping = new CancellationTokenSource();
        _queries.Setup(q => q.AskPrimaryAsync(It.IsAny<CancellationToken>())).ReturnsAsync(Silent);

        // Act
        var monitoring = _monitor.MonitorAsync(stopping.Token);
        await FakeTimeExtensions.WaitUntilAsync(() => _time.TimersCreated == 1);

        // Assert
        Assert.Equal(StandbyState.Primary, _health.State);
        Assert.DoesNotContain("ANSWERS AS A PRIMARY AGAIN", _health.Current.Reason, StringComparison.Ordinal);
        Assert.Contains("point writers at this node", _health.Current.NextStep, StringComparison.Ordinal);
        Assert.False(_health.Current.OldPrimaryWritable);
        await StopAsync(stopping, monitoring);
    }

    [Fact]
    public async Task MonitorAsync_EveryInterval_AsksTheOldPrimaryOnceEveryOldPrimaryEverySamples()
    {
        // Arrange
        using var stopping = new CancellationTokenSource();
        _queries.Setup(q => q.AskPrimaryAsync(It.IsAny<CancellationToken>())).ReturnsAsync(Silent);
        var asked = new List<int>();

        // Act: sample 1 at start, then one sample per monitor interval
        var monitoring = _monitor.MonitorAsync(stopping.Token);
        for (var sample = 1; sample <= (2 * PrimaryMonitor.OldPrimaryEvery) + 1; sample++)
        {
            await FakeTimeExtensions.WaitUntilAsync(() => _time.TimersCreated == sample);
            asked.Add(_queries.Invocations.Count);
            _time.Advance(_world.Supervision.MonitorInterval);
        }

        await FakeTimeExtensions.WaitUntilAsync(() => _time.TimersCreated == (2 * PrimaryMonitor.OldPrimaryEvery) + 2);

        // Assert: asked at samples 1, 7 and 13; postgres itself at every sample
        Assert.Equal([1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3], asked);
        _queries.Verify(q => q.AskPrimaryAsync(It.IsAny<CancellationToken>()), Times.Exactly(3));
        Assert.Equal((2 * PrimaryMonitor.OldPrimaryEvery) + 2, Volatile.Read(ref _samples));
        await StopAsync(stopping, monitoring);
    }

    [Fact]
    public async Task MonitorAsync_OldPrimaryGoneAgain_WarningCleared()
    {
        // Arrange
        using var stopping = new CancellationTokenSource();
        _queries.SetupSequence(q => q.AskPrimaryAsync(It.IsAny<CancellationToken>())).ReturnsAsync(Writable).ReturnsAsync(Silent);
        var monitoring = _monitor.MonitorAsync(stopping.Token);
        await FakeTimeExtensions.WaitUntilAsync(() => _time.TimersCreated == 1);
        var warned = _health.Current.Reason;

        // Act
        for (var sample = 1; sample <= PrimaryMonitor.OldPrimaryEvery; sample++)
        {
            await FakeTimeExtensions.WaitUntilAsync(() => _time.TimersCreated == sample);
            _time.Advance(_world.Supervision.MonitorInterval);
        }

        await FakeTimeExtensions.WaitUntilAsync(() => _time.TimersCreated == PrimaryMonitor.OldPrimaryEvery + 1);

        // Assert
        Assert.Contains("ANSWERS AS A PRIMARY AGAIN", warned, StringComparison.Ordinal);
        Assert.DoesNotContain("ANSWERS AS A PRIMARY AGAIN", _health.Current.Reason, StringComparison.Ordinal);
        Assert.False(_health.Current.OldPrimaryWritable);
        Assert.Equal(StandbyState.Primary, _health.State);
        await StopAsync(stopping, monitoring);
    }

    [Fact]
    public async Task MonitorAsync_PostgresDoesNotAnswer_KeepsTheStateItHad()
    {
        // Arrange
        using var stopping = new CancellationTokenSource();
        _health.Set(StandbyState.StartingPostgres, "starting postgres as a primary", "wait");
        _queries.Setup(q => q.AskPrimaryAsync(It.IsAny<CancellationToken>())).ReturnsAsync(Silent);
        _node.Setup(n => n.FactsAsync(It.IsAny<CancellationToken>())).ReturnsAsync((NodeFacts?)null);

        // Act
        var monitoring = _monitor.MonitorAsync(stopping.Token);
        await FakeTimeExtensions.WaitUntilAsync(() => _time.TimersCreated == 1);

        // Assert
        Assert.Equal(StandbyState.StartingPostgres, _health.State);
        await StopAsync(stopping, monitoring);
    }

    [Fact]
    public async Task MonitorAsync_Stopping_AsksNobody()
    {
        // Arrange
        using var stopping = new CancellationTokenSource();
        _health.Set(StandbyState.Stopping, "the worker is stopping", "none");

        // Act
        var monitoring = _monitor.MonitorAsync(stopping.Token);
        await FakeTimeExtensions.WaitUntilAsync(() => _time.TimersCreated == 1);

        // Assert
        Assert.Empty(_queries.Invocations);
        Assert.Equal(0, Volatile.Read(ref _samples));
        Assert.Equal(StandbyState.Stopping, _health.State);
        await StopAsync(stopping, monitoring);
    }

    private static async Task StopAsync(CancellationTokenSource stopping, Task monitoring)
    {
        await stopping.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => monitoring);
    }
}
