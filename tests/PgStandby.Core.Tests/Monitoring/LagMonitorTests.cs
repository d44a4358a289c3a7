using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using Npgsql;
using PgStandby.Core.Gaps;
using PgStandby.Core.Health;
using PgStandby.Core.Postgres;
using PgStandby.Core.Processes;
using PgStandby.Core.Replication;
using PgStandby.Core.Restore;
using PgStandby.Core.Ssh;
using PgStandby.Core.Tests.TestSupport;
using PgStandby.Core.Promotion;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Monitoring;
using PgStandby.Core.Repository;

namespace PgStandby.Core.Tests.Monitoring;

public sealed class LagMonitorTests : IDisposable
{
    private readonly TestWorld _world = new();
    private readonly Mock<IStandbyQueries> _queries = new(MockBehavior.Strict);
    private readonly Mock<ICommandRunner> _commands = new(MockBehavior.Strict);

    /// <summary>What the timeline comparison asks when the stream connects, kept apart from the samples these tests count.</summary>
    private readonly Mock<IStandbyQueries> _forkQueries = new(MockBehavior.Strict);
    private readonly StreamingStarted _streaming = new();
    private readonly HealthState _health;
    private readonly Mock<IPromotionRecorder> _promotions = new(MockBehavior.Strict);
    private readonly FakeArchiveTarget _archive = new();
    private readonly LagMonitor _monitor;

    public LagMonitorTests()
    {
        _health = _world.CreateHealth();
        _monitor = new LagMonitor(
            _queries.Object,
            _archive,
            _health,
            new StallResponse(
                new GapInspector(
                    new PostgresTools(_commands.Object, Options.Create(_world.Standby)),
                    new RepositoryWaiter(new Mock<IRemoteShell>().Object, _health, Options.Create(_world.Repository), Options.Create(_world.Standby), Options.Create(_world.Supervision), _world.Time, NullLogger<RepositoryWaiter>.Instance),
                    new ArchivedSegments(_commands.Object, Options.Create(_world.Repository), Options.Create(_world.Standby)),
                    new RefusedSegments()),
                new ResyncSignal(),
                Options.Create(_world.Supervision),
                _world.Time,
                NullLogger<StallResponse>.Instance),
            new ForkConfirmation(
                new PostgresTools(_commands.Object, Options.Create(_world.Standby)),
                _forkQueries.Object,
                _commands.Object,
                Options.Create(_world.Repository),
                Options.Create(_world.Standby),
                new ResyncSignal(),
                _world.Time,
                NullLogger<ForkConfirmation>.Instance),
            _streaming,
            _promotions.Object,
            Options.Create(_world.Replication),
            Options.Create(_world.Supervision),
            _world.Time,
            NullLogger<LagMonitor>.Instance);

        // The timelines are compared once the stream connects: the primary is not asked in these tests.
        _forkQueries.Setup(q => q.PrimaryTimelineAsync(It.IsAny<CancellationToken>())).ReturnsAsync(new PrimaryTimeline(null, "not asked in these tests"));
    }

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task MonitorAsync_StreamingSample_SetsStreamingAndRecordsLag()
    {
        // Arrange
        using var stopping = new CancellationTokenSource();
        _queries.Setup(q => q.SampleAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ReplicationSample(true, "0/3000060", "0/3000000", 96, 0.5, "streaming", "10.0.0.5", true));

        // Act
        var monitoring = _monitor.MonitorAsync(stopping.Token);

        // Assert
        Assert.Equal(StandbyState.Streaming, _health.State);
        var status = StatusFile.Read(_world.Standby.RunDirectory)!;
        Assert.True(status.Healthy);
        Assert.Equal(96, status.LagBytes);
        Assert.Equal("primary", status.LagAgainst);
        await stopping.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => monitoring);
    }

    [Fact]
    public async Task MonitorAsync_WalReceiverStartsStreamingBetweenSamples_SamplesOnceItHadTimeToBeRefused()
    {
        // Arrange
        using var stopping = new CancellationTokenSource();
        var catchingUp = new ReplicationSample(true, null, "0/3000000", 0, 0, null, null, true);
        var streaming = new ReplicationSample(true, "0/3000060", "0/3000060", 0, 0, "streaming", "10.0.0.5", true);
        var sampledAt = SampleAt([catchingUp, streaming]);
        var monitoring = _monitor.MonitorAsync(stopping.Token);
        await FakeTimeExtensions.WaitUntilAsync(() => MonitorWaits.Count == 1);

        // Act: woken by the line, the monitor is parked on the clock again before it samples; then to the end of that wait
        _streaming.Raise(_world.Time.GetUtcNow());
        await FakeTimeExtensions.WaitUntilAsync(() => MonitorWaits.Count == 2);
        var beforeSettling = _health.State;
        _world.Time.Advance(MonitorWaits[1]);
        await FakeTimeExtensions.WaitUntilAsync(() => MonitorWaits.Count == 3);

        // Assert: the second sample came after the settle time, not at the line nor after the settling poll (twice as long).
        Assert.Equal(StandbyState.CatchingUpFromArchive, beforeSettling);
        Assert.Equal(StandbyState.Streaming, _health.State);
        Assert.True(LagMonitor.StreamingSettle < LagMonitor.SettlingPoll);
        Assert.Equal([LagMonitor.SettlingPoll, LagMonitor.StreamingSettle, _world.Supervision.MonitorInterval], MonitorWaits);
        Assert.Equal([TimeSpan.Zero, LagMonitor.StreamingSettle], sampledAt);
        await stopping.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => monitoring);
    }

    [Fact]
    public async Task MonitorAsync_WalReceiverStreamsDuringASlowSample_NextSampleAtOnceAfterIt()
    {
        // Arrange: the first sample takes 300 ms (a replication login to the primary), and the WAL receiver's
        // line comes at its start: the settle time has passed when it ends.
        using var stopping = new CancellationTokenSource();
        var samples = 0;
        _queries.Setup(q => q.SampleAsync(It.IsAny<CancellationToken>()))
            .Returns(() =>
            {
                if (++samples == 1)
                {
                    _streaming.Raise(_world.Time.GetUtcNow());
                    _world.Time.Advance(TimeSpan.FromMilliseconds(300));
                    return Task.FromResult(new ReplicationSample(true, null, "0/3000000", 0, 0, null, null, true));
                }

                return Task.FromResult(new ReplicationSample(true, "0/3000060", "0/3000060", 0, 0, "streaming", "10.0.0.5", true));
            });

        // Act
        var monitoring = _monitor.MonitorAsync(stopping.Token);
        await FakeTimeExtensions.WaitUntilAsync(() => _health.State == StandbyState.Streaming);

        // Assert
        Assert.Equal(TestWorld.Start + TimeSpan.FromMilliseconds(300), _world.Time.GetUtcNow());
        Assert.Equal(2, samples);
        await stopping.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => monitoring);
    }

    [Fact]
    public async Task MonitorAsync_StreamingAnnouncedBeforeASample_DoesNotSampleTwice()
    {
        // Arrange: the line came before the monitor's first sample, which already sees the WAL receiver.
        using var stopping = new CancellationTokenSource();
        var sampledAt = SampleAt([new ReplicationSample(true, "0/3000060", "0/3000060", 0, 0, "streaming", "10.0.0.5", true)]);
        _streaming.Raise(_world.Time.GetUtcNow());
        var monitoring = _monitor.MonitorAsync(stopping.Token);
        await FakeTimeExtensions.WaitUntilAsync(() => MonitorWaits.Count == 1);

        // Act: to the end of the wait it is parked on (past the settle time a line still pending would have asked for)
        _world.Time.Advance(MonitorWaits[0]);
        await FakeTimeExtensions.WaitUntilAsync(() => MonitorWaits.Count == 2);

        // Assert: it waited a whole interval, not the settle time for a second sample, and sampled at its end
        Assert.Equal([_world.Supervision.MonitorInterval, _world.Supervision.MonitorInterval], MonitorWaits);
        Assert.Equal([TimeSpan.Zero, _world.Supervision.MonitorInterval], sampledAt);
        await stopping.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => monitoring);
    }

    [Fact]
    public async Task MonitorAsync_EveryInterval_TakesNextSample()
    {
        // Arrange
        using var stopping = new CancellationTokenSource();
        _queries.SetupSequence(q => q.SampleAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ReplicationSample(true, "0/3000060", "0/3000060", 0, 0, "streaming", "10.0.0.5", true))
            .ReturnsAsync(new ReplicationSample(true, "0/3000090", "0/3000090", 0, 0, "streaming", "10.0.0.5", true));
        var monitoring = _monitor.MonitorAsync(stopping.Token);

        // Act
        _world.Time.Advance(_world.Supervision.MonitorInterval);
        await FakeTimeExtensions.WaitUntilAsync(() => _health.Current.ReplayedLsn == "0/3000090");

        // Assert
        _queries.Verify(q => q.SampleAsync(It.IsAny<CancellationToken>()), Times.Exactly(2));
        await stopping.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => monitoring);
    }

    [Fact]
    public async Task MonitorAsync_UnexpectedErrorInASample_ReportedAndTheNextSampleGoesOn()
    {
        // Arrange
        using var stopping = new CancellationTokenSource();
        _queries.SetupSequence(q => q.SampleAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("reader closed"))
            .ReturnsAsync(new ReplicationSample(true, "0/3000090", "0/3000090", 0, 0, "streaming", "10.0.0.5", true));
        var monitoring = _monitor.MonitorAsync(stopping.Token);
        await FakeTimeExtensions.WaitUntilAsync(() => _health.Current.Reason.Contains("monitor failed", StringComparison.Ordinal));
        var failed = _health.Current;

        // Act
        await _world.Time.AdvanceUntilAsync(() => _health.State == StandbyState.Streaming, _world.Supervision.MonitorInterval);

        // Assert: the host was not stopped (the monitor still runs) and the error was said
        Assert.False(monitoring.IsCompleted);
        Assert.Contains("InvalidOperationException: reader closed", failed.Reason, StringComparison.Ordinal);
        Assert.Equal("0/3000090", _health.Current.ReplayedLsn);
        await stopping.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => monitoring);
    }

    [Fact]
    public async Task MonitorAsync_PostgresOutOfRecovery_RecordsThePromotionAndHandsOver()
    {
        // Arrange: promoted between two samples; the first time postgres does not answer the recorder
        using var stopping = new CancellationTokenSource();
        var promoted = new ReplicationSample(false, null, "0/3000060", null, null, null, null, false);
        _queries.SetupSequence(q => q.SampleAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ReplicationSample(true, "0/3000060", "0/3000060", 0, 0, "streaming", "10.0.0.5", true))
            .ReturnsAsync(promoted)
            .ReturnsAsync(promoted);
        _promotions.SetupSequence(p => p.RecordAsync(It.IsAny<CancellationToken>())).ReturnsAsync(false).ReturnsAsync(true);
        var monitoring = _monitor.MonitorAsync(stopping.Token);

        // Act
        await _world.Time.AdvanceUntilCompletedAsync(monitoring, _world.Supervision.MonitorInterval);

        // Assert: never streaming or failing on a promoted node, and the monitor returned (the primary monitor takes over)
        Assert.True(monitoring.IsCompletedSuccessfully);
        _promotions.Verify(p => p.RecordAsync(It.IsAny<CancellationToken>()), Times.Exactly(2));
        Assert.NotEqual(StandbyState.Failing, _health.State);
    }

    [Fact]
    public async Task MonitorAsync_NotStreamingYet_SamplesEveryHalfSecondUntilStreamingThenEveryInterval()
    {
        // Arrange: the WAL receiver connects on the third sample
        using var stopping = new CancellationTokenSource();
        var catchingUp = new ReplicationSample(true, null, "0/3000000", 0, 0, null, null, true);
        var streaming = new ReplicationSample(true, "0/3000060", "0/3000060", 0, 0, "streaming", "10.0.0.5", true);
        var sampledAt = SampleAt([catchingUp, catchingUp, streaming, streaming]);
        var monitoring = _monitor.MonitorAsync(stopping.Token);

        // Act: each time the monitor is parked on the clock again, to the end of that wait
        for (var wait = 1; wait <= 3; wait++)
        {
            await FakeTimeExtensions.WaitUntilAsync(() => MonitorWaits.Count == wait);
            _world.Time.Advance(MonitorWaits[wait - 1]);
        }

        await FakeTimeExtensions.WaitUntilAsync(() => MonitorWaits.Count == 4);

        // Assert: streaming reported a second after start (two settling polls), not a monitor interval later; then a whole interval's wait
        Assert.Equal(StandbyState.Streaming, _health.State);
        Assert.Equal([LagMonitor.SettlingPoll, LagMonitor.SettlingPoll, _world.Supervision.MonitorInterval, _world.Supervision.MonitorInterval], MonitorWaits);
        Assert.Equal(
            [TimeSpan.Zero, LagMonitor.SettlingPoll, 2 * LagMonitor.SettlingPoll, (2 * LagMonitor.SettlingPoll) + _world.Supervision.MonitorInterval],
            sampledAt);
        await stopping.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => monitoring);
    }

    [Fact]
    public async Task MonitorAsync_ReplicationLoginRefused_BackToTheMonitorIntervalAtOnce()
    {
        // Arrange: the primary refuses the password; asking twice a second would flood its log
        using var stopping = new CancellationTokenSource();
        var refused = new ReplicationSample(true, null, "0/3000000", null, null, null, null, false) { StreamingProblem = "password authentication failed" };
        var sampledAt = SampleAt([refused]);
        var monitoring = _monitor.MonitorAsync(stopping.Token);
        await FakeTimeExtensions.WaitUntilAsync(() => MonitorWaits.Count == 1);

        // Act: to the end of the wait it is parked on, until it sampled and is parked again
        _world.Time.Advance(MonitorWaits[0]);
        await FakeTimeExtensions.WaitUntilAsync(() => MonitorWaits.Count == 2);

        // Assert: after the first sample it waited the interval, not the settling poll, and sampled once at its end
        Assert.Equal([_world.Supervision.MonitorInterval, _world.Supervision.MonitorInterval], MonitorWaits);
        Assert.Equal([TimeSpan.Zero, _world.Supervision.MonitorInterval], sampledAt);
        await stopping.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => monitoring);
    }

    [Fact]
    public async Task MonitorAsync_SampleFails_KeepsPreviousState()
    {
        // Arrange
        using var stopping = new CancellationTokenSource();
        _health.Set(StandbyState.StartingPostgres, "starting postgres", "wait");
        _queries.Setup(q => q.SampleAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new NpgsqlException("connection refused"));

        // Act
        var monitoring = _monitor.MonitorAsync(stopping.Token);

        // Assert
        Assert.False(monitoring.IsCompleted);
        Assert.Equal(StandbyState.StartingPostgres, _health.State);
        await stopping.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => monitoring);
    }

    [Fact]
    public async Task MonitorAsync_LagPastLimitForLagSamples_LaggingThenStreamingAgain()
    {
        // Arrange
        using var stopping = new CancellationTokenSource();
        _world.Supervision.MaxLagBytes = 1000;
        _world.Supervision.LagSamples = 2;
        var behind = new ReplicationSample(true, "0/3010000", "0/3000000", 65536, 0, "streaming", "10.0.0.5", true) { RecoveryPaused = true };
        var caughtUp = new ReplicationSample(true, "0/3010000", "0/3010000", 0, 0, "streaming", "10.0.0.5", true);
        _queries.SetupSequence(q => q.SampleAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(behind).ReturnsAsync(behind).ReturnsAsync(caughtUp).ReturnsAsync(caughtUp);
        var monitoring = _monitor.MonitorAsync(stopping.Token);
        var first = _health.State;

        // Act
        await _world.Time.AdvanceUntilAsync(() => _health.State == StandbyState.Lagging, _world.Supervision.MonitorInterval);
        var lagging = _health.Current;
        await _world.Time.AdvanceUntilAsync(() => _health.State == StandbyState.Streaming, _world.Supervision.MonitorInterval);

        // Assert
        Assert.Equal(StandbyState.Streaming, first);
        Assert.True(lagging.Healthy);
        Assert.False(lagging.Ready);
        Assert.Contains("PGSTANDBY_MAX_LAG_BYTES (1000 bytes)", lagging.Reason, StringComparison.Ordinal);
        Assert.Contains("PAUSED", lagging.Reason, StringComparison.Ordinal);
        Assert.Contains("pg_wal_replay_resume", lagging.NextStep, StringComparison.Ordinal);
        Assert.True(_health.Current.Ready);
        _queries.Verify(q => q.SampleAsync(It.IsAny<CancellationToken>()), Times.Exactly(4));
        await stopping.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => monitoring);
    }

    /// <summary>
    /// The due time of each wait the monitor parked on, in order; the fork check it starts in the background when the
    /// stream connects has a timer of its own (its limit), which is not one of them.
    /// </summary>
    private List<TimeSpan> MonitorWaits => [.. _world.Time.DueTimes.Where(due => due != ForkConfirmation.Limit)];

    /// <summary>Answers the samples in order and returns when (after the start) each was taken, filled as they are.</summary>
    private ConcurrentQueue<TimeSpan> SampleAt(IReadOnlyList<ReplicationSample> answers)
    {
        var sampledAt = new ConcurrentQueue<TimeSpan>();
        _queries.Setup(q => q.SampleAsync(It.IsAny<CancellationToken>()))
            .Returns(() =>
            {
                sampledAt.Enqueue(_world.Time.GetUtcNow() - TestWorld.Start);
                return Task.FromResult(answers[Math.Min(sampledAt.Count, answers.Count) - 1]);
            });
        return sampledAt;
    }

    [Fact]
    public async Task MonitorAsync_PrimaryCannotBeAskedAndTheArchiveIsAhead_LagAgainstTheArchiveThenStalledAfterTheStallTimeout()
    {
        // Arrange: no replication login; replay waits at the start of segment 05 while the archive holds up to 07
        using var stopping = new CancellationTokenSource();
        _world.Supervision.StallTimeout = TimeSpan.FromSeconds(30);
        _archive.Newest = WalSegment.Parse("000000010000000000000007");
        _queries.Setup(q => q.SampleAsync(It.IsAny<CancellationToken>())).ReturnsAsync(Refused("0/5000000", replayTimeline: 1));
        var monitoring = _monitor.MonitorAsync(stopping.Token);
        var first = _health.Current;

        // Act
        await _world.Time.AdvanceUntilAsync(() => _health.State == StandbyState.Stalled, _world.Supervision.MonitorInterval);

        // Assert: measured against the archive from the first sample, stalled once the timeout passed
        Assert.Equal(StandbyState.CatchingUpFromArchive.Name(), first.State);
        Assert.Equal(0x3000000, first.LagBytes);
        Assert.Equal("archive", first.LagAgainst);
        Assert.Contains("the primary's position cannot be asked, so the lag is measured against the archive's newest WAL", first.Reason, StringComparison.Ordinal);
        Assert.True(_world.Time.GetUtcNow() - TestWorld.Start >= _world.Supervision.StallTimeout);
        var stalled = _health.Current;
        Assert.Contains("replay has not advanced from 0/5000000", stalled.Reason, StringComparison.Ordinal);
        Assert.Contains("while the archive's newest WAL (000000010000000000000007) is 50331648 bytes ahead (the primary's position cannot be asked)", stalled.Reason, StringComparison.Ordinal);
        Assert.Equal(0x3000000, stalled.LagBytes);
        Assert.True(stalled.Healthy);
        Assert.False(stalled.Ready);
        await stopping.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => monitoring);
    }

    [Fact]
    public async Task MonitorAsync_ArchivesNewestOnAnotherTimeline_AForkToLookIntoNeverALagOrAStall()
    {
        // Arrange: no replication login; the archive moved on along timeline 2, replay is on timeline 1
        using var stopping = new CancellationTokenSource();
        _world.Supervision.StallTimeout = TimeSpan.FromSeconds(30);
        _archive.Newest = WalSegment.Parse("000000020000000000000009");
        _queries.Setup(q => q.SampleAsync(It.IsAny<CancellationToken>())).ReturnsAsync(Refused("0/5000000", replayTimeline: 1));
        var monitoring = _monitor.MonitorAsync(stopping.Token);

        // Act: well past the stall timeout, and a sample taken there
        var samplesPastTheTimeout = (int)(_world.Supervision.StallTimeout * 2 / _world.Supervision.MonitorInterval);
        await _world.Time.AdvanceUntilAsync(() => _queries.Invocations.Count > samplesPastTheTimeout, _world.Supervision.MonitorInterval);

        // Assert
        Assert.True(_world.Time.GetUtcNow() - TestWorld.Start >= _world.Supervision.StallTimeout * 2);
        var status = _health.Current;
        Assert.Equal(StandbyState.CatchingUpFromArchive.Name(), status.State);
        Assert.Null(status.LagBytes);
        Assert.Null(status.LagAgainst);
        Assert.Contains("the archive's newest WAL is on timeline 2, not on replay's timeline 1: a fork to look into (or a timeline switch replay has not reached yet), so the lag is unknown", status.Reason, StringComparison.Ordinal);
        Assert.Contains("pgstandby reinit --yes", status.NextStep, StringComparison.Ordinal);
        await stopping.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => monitoring);
    }

    [Fact]
    public async Task MonitorAsync_PrimaryCannotBeAskedAndTheArchiveUnknown_LagUnknownNeverStalled()
    {
        // Arrange: the archive could not be read either (SSH down)
        using var stopping = new CancellationTokenSource();
        _world.Supervision.StallTimeout = TimeSpan.FromSeconds(30);
        _queries.Setup(q => q.SampleAsync(It.IsAny<CancellationToken>())).ReturnsAsync(Refused("0/5000000", replayTimeline: 1));
        var monitoring = _monitor.MonitorAsync(stopping.Token);

        // Act
        var samplesPastTheTimeout = (int)(_world.Supervision.StallTimeout * 2 / _world.Supervision.MonitorInterval);
        await _world.Time.AdvanceUntilAsync(() => _queries.Invocations.Count > samplesPastTheTimeout, _world.Supervision.MonitorInterval);

        // Assert
        Assert.Equal(StandbyState.CatchingUpFromArchive, _health.State);
        Assert.Null(_health.Current.LagBytes);
        Assert.DoesNotContain("archive's newest WAL", _health.Current.Reason, StringComparison.Ordinal);
        await stopping.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => monitoring);
    }

    private static ReplicationSample Refused(string replayed, int replayTimeline) =>
        new ReplicationSample(true, null, replayed, null, null, null, null, false)
        {
            StreamingProblem = "the primary refuses the replication login of replicator: password authentication failed",
            ReplayTimeline = replayTimeline,
            WalSegmentBytes = 16 * 1024 * 1024,
            LastReplayAgeSeconds = 30,
        };
}
