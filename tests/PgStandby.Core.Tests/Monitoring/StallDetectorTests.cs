using Microsoft.Extensions.Time.Testing;
using PgStandby.Core.Replication;
using PgStandby.Core.Monitoring;

namespace PgStandby.Core.Tests.Monitoring;

public sealed class StallDetectorTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    private static ReplicationSample Behind(string replayed) =>
        new(true, null, replayed, 16_777_216, 30, null, null, PrimaryLsnKnown: true);

    [Fact]
    public void Observe_ReplayStuckWhilePrimaryAhead_StalledAfterTimeout()
    {
        // Arrange
        var time = new FakeTimeProvider();
        var detector = new StallDetector(time, Timeout);

        // Act
        var first = detector.Observe(Behind("0/5000000"));
        time.Advance(Timeout - TimeSpan.FromSeconds(1));
        var before = detector.Observe(Behind("0/5000000"));
        time.Advance(TimeSpan.FromSeconds(1));
        var after = detector.Observe(Behind("0/5000000"));

        // Assert
        Assert.Null(first);
        Assert.Null(before);
        Assert.Equal(Timeout, after);
    }

    [Fact]
    public void Observe_ReplayAdvances_NeverStalled()
    {
        // Arrange
        var time = new FakeTimeProvider();
        var detector = new StallDetector(time, Timeout);

        // Act
        detector.Observe(Behind("0/5000000"));
        time.Advance(Timeout);
        var moved = detector.Observe(Behind("0/5000100"));

        // Assert
        Assert.Null(moved);
    }

    [Theory]
    [InlineData("streaming", false, true)]
    [InlineData(null, true, true)]
    [InlineData(null, false, false)]
    public void Observe_StreamingPausedOrPrimaryUnknown_NeverStalled(string? receiver, bool paused, bool primaryKnown)
    {
        // Arrange
        var time = new FakeTimeProvider();
        var detector = new StallDetector(time, Timeout);
        var sample = Behind("0/5000000") with { WalReceiverStatus = receiver, RecoveryPaused = paused, PrimaryLsnKnown = primaryKnown };

        // Act
        detector.Observe(sample);
        time.Advance(Timeout * 2);
        var verdict = detector.Observe(sample);

        // Assert
        Assert.Null(verdict);
    }

    [Fact]
    public void Observe_PrimaryCannotBeAskedReplayStuckWhileTheArchiveIsAhead_StalledAfterTimeout()
    {
        // Arrange
        var time = new FakeTimeProvider();
        var detector = new StallDetector(time, Timeout);
        var sample = AgainstArchive("0/5000000", lagBytes: 0x3000000);

        // Act
        var first = detector.Observe(sample);
        time.Advance(Timeout);
        var after = detector.Observe(sample);

        // Assert
        Assert.Null(first);
        Assert.Equal(Timeout, after);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(null)]
    public void Observe_ArchiveReachedOrOnAnotherTimeline_NeverStalled(long? lagBytes)
    {
        // Arrange: replay reached the archive's newest segment (0), or that segment is on another timeline (no lag)
        var time = new FakeTimeProvider();
        var detector = new StallDetector(time, Timeout);
        var sample = AgainstArchive("0/5000000", lagBytes);

        // Act
        detector.Observe(sample);
        time.Advance(Timeout * 2);
        var verdict = detector.Observe(sample);

        // Assert
        Assert.Null(verdict);
    }

    private static ReplicationSample AgainstArchive(string replayed, long? lagBytes) =>
        new ReplicationSample(true, null, replayed, lagBytes, 30, null, null, PrimaryLsnKnown: false)
        {
            StreamingProblem = "password authentication failed",
            ArchiveNewest = PgStandby.Core.Postgres.WalSegment.Parse("000000010000000000000007"),
        };
}
