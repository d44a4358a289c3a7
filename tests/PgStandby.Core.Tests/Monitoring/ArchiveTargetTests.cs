using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using PgStandby.Core.Replication;
using PgStandby.Core.Ssh;
using PgStandby.Core.Tests.Restore;
using PgStandby.Core.Tests.TestSupport;
using PgStandby.Core.Monitoring;
using PgStandby.Core.Repository;

namespace PgStandby.Core.Tests.Monitoring;

public sealed class ArchiveTargetTests : IDisposable
{
    private static readonly TimeSpan MonitorInterval = TimeSpan.FromSeconds(5);

    private readonly TestWorld _world = new();
    private readonly Mock<IRemoteShell> _primary = new(MockBehavior.Strict);
    private readonly CapturingLogger<ArchiveTarget> _logger = new();
    private readonly ArchiveTarget _target;

    public ArchiveTargetTests()
    {
        var repositoryInfo = new RepositoryWaiter(_primary.Object, _world.CreateHealth(), Options.Create(_world.Repository), Options.Create(_world.Standby), Options.Create(_world.Supervision), _world.Time, NullLogger<RepositoryWaiter>.Instance);
        _target = new ArchiveTarget(_primary.Object, repositoryInfo, Options.Create(_world.Repository), _world.Time, _logger);
    }

    public void Dispose() => _world.Dispose();

    [Fact]
    public void Measure_PrimaryCannotBeAsked_LagAgainstTheEndOfTheArchivesNewestSegment()
    {
        // Arrange: replay waits at the start of segment 05, the archive holds up to 07
        Archive("000000010000000000000007");

        // Act
        var measured = _target.Measure(Refused("0/5000000"), CancellationToken.None);

        // Assert
        Assert.Equal(0x3000000, measured.LagBytes);
        Assert.True(measured.LagAgainstArchive);
        Assert.Equal("000000010000000000000007", measured.ArchiveNewest!.Name);
        _primary.Verify(p => p.RunPgBackRestAsync(It.Is<IReadOnlyList<IReadOnlyList<string>>>(c => c.Count == 1 && c[0].Contains("--output=json") && c[0][c[0].Count - 1] == "info"), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public void Measure_EverySample_AsksTheRepositoryAtMostOncePerAskEvery()
    {
        // Arrange
        Archive("000000010000000000000007");
        var samplesPerAsk = (int)(ArchiveTarget.AskEvery / MonitorInterval);

        // Act: a minute of samples, then the first one past the minute
        for (var sample = 0; sample < samplesPerAsk; sample++)
        {
            Assert.NotNull(_target.Measure(Refused("0/5000000"), CancellationToken.None).LagBytes);
            _world.Time.Advance(MonitorInterval);
        }

        var asksInTheFirstMinute = _primary.Invocations.Count;
        _target.Measure(Refused("0/5000000"), CancellationToken.None);

        // Assert
        Assert.Equal(1, asksInTheFirstMinute);
        Assert.Equal(2, _primary.Invocations.Count);
    }

    [Fact]
    public void Measure_PrimaryPositionKnownOrPromoted_NeverAsksAndLeavesTheSampleAlone()
    {
        // Arrange: asked over the replication login; streaming between two asks of the primary; promoted
        ReplicationSample[] samples =
        [
            new(true, "0/3000060", "0/3000000", 96, 0.5, null, null, true),
            new(true, "0/3000060", "0/3000000", 96, 0.5, "streaming", "10.0.0.5", false),
            new(false, null, "0/3000060", null, null, null, null, false) { StreamingProblem = "cannot connect to primary:5432" },
        ];

        // Act and Assert
        foreach (var sample in samples)
        {
            Assert.Same(sample, _target.Measure(sample, CancellationToken.None));
        }

        _primary.VerifyNoOtherCalls();
    }

    [Fact]
    public void Measure_PrimaryAnswersAgain_TheArchivesReadingIsForgottenAndThePaceKept()
    {
        // Arrange
        Archive("000000010000000000000007");
        var known = new ReplicationSample(true, null, "0/5000000", 0x4000000, 30, null, null, true);

        // Act
        var refused = _target.Measure(Refused("0/5000000"), CancellationToken.None);
        _world.Time.Advance(MonitorInterval);
        var primaryWins = _target.Measure(known, CancellationToken.None);
        _world.Time.Advance(MonitorInterval);
        var refusedAgain = _target.Measure(Refused("0/5000000"), CancellationToken.None);
        _world.Time.Advance(ArchiveTarget.AskEvery);
        var askedAgain = _target.Measure(Refused("0/5000000"), CancellationToken.None);

        // Assert: no stale reading once the primary answered, no ask sooner than the pace allows
        Assert.Equal(0x3000000, refused.LagBytes);
        Assert.Same(known, primaryWins);
        Assert.Null(refusedAgain.LagBytes);
        Assert.Null(refusedAgain.ArchiveNewest);
        Assert.Equal(0x3000000, askedAgain.LagBytes);
        Assert.Equal(2, _primary.Invocations.Count);
    }

    [Fact]
    public void Measure_SshFailsAfterAGoodReading_LagUnknownAgainAndTheReasonLoggedOnce()
    {
        // Arrange
        var unreachable = new PrimaryUnavailableException(PrimaryUnavailableKind.Unreachable, "cannot reach primary:22 over SSH (Connection refused)");
        _primary.SetupSequence(p => p.RunPgBackRestAsync(It.IsAny<IReadOnlyList<IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([new RemoteResult(0, Info("000000010000000000000007"), string.Empty)])
            .ThrowsAsync(unreachable)
            .ThrowsAsync(unreachable);

        // Act
        var read = _target.Measure(Refused("0/5000000"), CancellationToken.None);
        _world.Time.Advance(ArchiveTarget.AskEvery);
        var failed = _target.Measure(Refused("0/5000000"), CancellationToken.None);
        _world.Time.Advance(ArchiveTarget.AskEvery);
        var failedAgain = _target.Measure(Refused("0/5000000"), CancellationToken.None);

        // Assert
        Assert.Equal(0x3000000, read.LagBytes);
        Assert.Null(failed.LagBytes);
        Assert.Null(failedAgain.LagBytes);
        Assert.Equal(3, _primary.Invocations.Count);
        var logged = Assert.Single(_logger.Messages);
        Assert.Contains("the lag stays unknown while the primary cannot be asked: cannot reach primary:22 over SSH (Connection refused)", logged, StringComparison.Ordinal);
    }

    [Fact]
    public void Measure_InfoFails_LagUnknownAndPgBackRestsErrorLogged()
    {
        // Arrange
        _primary.Setup(p => p.RunPgBackRestAsync(It.IsAny<IReadOnlyList<IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([new RemoteResult(41, string.Empty, "ERROR: [041]: unable to open file '/var/lib/pgbackrest/archive/psql/archive.info'")]);

        // Act
        var measured = _target.Measure(Refused("0/5000000"), CancellationToken.None);

        // Assert
        Assert.Null(measured.LagBytes);
        Assert.Contains(_logger.Messages, m => m.Contains("pgbackrest info exited 41", StringComparison.Ordinal) && m.Contains("archive.info", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Measure_RepositoryDoesNotAnswer_SampleNotHeldUpAndTheAskGivenUpAfterItsLimit()
    {
        // Arrange: the primary's host takes the connection and never answers
        _primary.Setup(p => p.RunPgBackRestAsync(It.IsAny<IReadOnlyList<IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .Returns(async (IReadOnlyList<IReadOnlyList<string>> _, CancellationToken token) =>
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, token);
                return (IReadOnlyList<RemoteResult>)[];
            });

        // Act
        var measured = _target.Measure(Refused("0/5000000"), CancellationToken.None);
        _world.Time.Advance(ArchiveTarget.Limit > ArchiveTarget.AskEvery ? ArchiveTarget.Limit : ArchiveTarget.AskEvery);
        await _target.Asking;
        var next = _target.Measure(Refused("0/5000000"), CancellationToken.None);

        // Assert: the sample came back at once; the next ask starts once the first one is given up and the pace allows
        Assert.Null(measured.LagBytes);
        Assert.Null(next.LagBytes);
        Assert.Contains($"did not answer within {ArchiveTarget.Limit.TotalSeconds:0} s", _logger.Messages[0], StringComparison.Ordinal);
        Assert.Equal(2, _primary.Invocations.Count);
    }

    [Fact]
    public async Task Measure_ReadingArrivesAfterThePrimaryAnswered_Discarded()
    {
        // Arrange: the ask is still under way when the primary answers
        var answer = new TaskCompletionSource<IReadOnlyList<RemoteResult>>();
        _primary.Setup(p => p.RunPgBackRestAsync(It.IsAny<IReadOnlyList<IReadOnlyList<string>>>(), It.IsAny<CancellationToken>())).Returns(answer.Task);
        var pending = _target.Measure(Refused("0/5000000"), CancellationToken.None);
        _target.Measure(new ReplicationSample(true, null, "0/5000000", 0x4000000, 30, null, null, true), CancellationToken.None);

        // Act
        answer.SetResult([new RemoteResult(0, Info("000000010000000000000007"), string.Empty)]);
        await _target.Asking;
        var refusedAgain = _target.Measure(Refused("0/5000000"), CancellationToken.None);

        // Assert: a reading asked for before the primary answered says nothing of now
        Assert.Null(pending.LagBytes);
        Assert.Null(refusedAgain.LagBytes);
        Assert.Single(_primary.Invocations);
    }

    [Fact]
    public void Measure_ArchiveOnAnotherTimeline_NoLagAndOneWarningPerPairOfTimelines()
    {
        // Arrange: the archive moves on along timeline 2 while replay is on timeline 1
        _primary.SetupSequence(p => p.RunPgBackRestAsync(It.IsAny<IReadOnlyList<IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([new RemoteResult(0, Info("000000020000000000000009"), string.Empty)])
            .ReturnsAsync([new RemoteResult(0, Info("00000002000000000000000A"), string.Empty)]);

        // Act
        var first = _target.Measure(Refused("0/5000000"), CancellationToken.None);
        _world.Time.Advance(ArchiveTarget.AskEvery);
        var second = _target.Measure(Refused("0/5000000"), CancellationToken.None);

        // Assert
        Assert.Null(first.LagBytes);
        Assert.True(first.ArchiveOnAnotherTimeline);
        Assert.Equal("00000002000000000000000A", second.ArchiveNewest!.Name);
        Assert.Null(second.LagBytes);
        var warning = Assert.Single(_logger.Messages);
        Assert.Contains("000000020000000000000009 is on timeline 2, not on replay's timeline 1: a fork to look into", warning, StringComparison.Ordinal);
    }

    private static ReplicationSample Refused(string replayed) =>
        new ReplicationSample(true, null, replayed, null, null, null, null, false)
        {
            StreamingProblem = "the primary refuses the replication login of replicator: password authentication failed",
            ReplayTimeline = 1,
            WalSegmentBytes = 16 * 1024 * 1024,
        };

    private static string Info(string archiveMax) =>
        PgBackRestInfoSamples.Ok.Replace("\"max\": \"000000010000000000000006\"", $"\"max\": \"{archiveMax}\"", StringComparison.Ordinal);

    private void Archive(string archiveMax) =>
        _primary.Setup(p => p.RunPgBackRestAsync(It.IsAny<IReadOnlyList<IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([new RemoteResult(0, Info(archiveMax), string.Empty)]);
}
