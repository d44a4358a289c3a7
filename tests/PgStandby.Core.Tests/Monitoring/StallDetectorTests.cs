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
}
