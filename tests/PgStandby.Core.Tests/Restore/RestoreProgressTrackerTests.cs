using Microsoft.Extensions.Time.Testing;
using PgStandby.Core.Tests.TestSupport;
using PgStandby.Core.Restore;

namespace PgStandby.Core.Tests.Restore;

public sealed class RestoreProgressTrackerTests
{
    private readonly FakeTimeProvider _time = new(TestWorld.Start);

    [Fact]
    public void Current_NoFileYet_ZeroWithoutTotalOrEta()
    {
        // Arrange
        var tracker = new RestoreProgressTracker(_time);

        // Act
        var progress = tracker.Current;

        // Assert
        Assert.Equal(0, progress.Files);
        Assert.Null(progress.BytesTotal);
        Assert.Null(progress.Eta);
    }

    [Fact]
    public void Current_RealLines_BytesPercentTotalThroughputAndEta()
    {
        // Arrange
        var tracker = new RestoreProgressTracker(_time);
        tracker.Observe(RestoreFileLineTests.Large);
        tracker.Observe(RestoreFileLineTests.Medium);
        _time.Advance(TimeSpan.FromSeconds(10));

        // Act
        var progress = tracker.Current;

        // Assert
        Assert.Equal(2, progress.Files);
        Assert.Equal(18035507 + 786432, progress.BytesDone);
        Assert.Equal(12.63, progress.Percent, 2);
        Assert.InRange(progress.BytesTotal!.Value, 149_000_000, 149_100_000); // the backup was 141.8 MiB = 148.7 MB; sizes are rounded
        Assert.Equal(1882193.9, progress.BytesPerSecond, 1);
        Assert.InRange(progress.Eta!.Value.TotalSeconds, 68, 70);
    }

    [Fact]
    public void Observe_OtherLines_NotCounted()
    {
        // Arrange
        var tracker = new RestoreProgressTracker(_time);

        // Act
        var counted = tracker.Observe("2026-11-27 10:37:51.160 P00   INFO: restore size = 141.8MB, file total = 979");

        // Assert
        Assert.False(counted);
        Assert.Equal(0, tracker.Current.Files);
    }

    [Fact]
    public void Observe_PercentOutOfOrderFromTwoProcesses_NeverGoesBack()
    {
        // Arrange
        var tracker = new RestoreProgressTracker(_time);

        // Act
        tracker.Observe(RestoreFileLineTests.Small);
        tracker.Observe(RestoreFileLineTests.Medium);

        // Assert
        Assert.Equal(93.91, tracker.Current.Percent, 2);
    }
}
