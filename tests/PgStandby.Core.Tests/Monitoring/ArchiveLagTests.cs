using PgStandby.Core.Replication;
using PgStandby.Core.Postgres;
using PgStandby.Core.Monitoring;

namespace PgStandby.Core.Tests.Monitoring;

public sealed class ArchiveLagTests
{
    private const long SegmentBytes = 16 * 1024 * 1024;

    [Fact]
    public void Measure_ReplayInAnOlderSegment_LagToTheEndOfTheNewestArchivedSegment()
    {
        // Arrange: replay waits at the start of segment 05, the archive holds up to 07 (ends at 0/8000000)
        var sample = Refused("0/5000000", timeline: 1) with { LastReplayAgeSeconds = 42 };

        // Act
        var measured = ArchiveLag.Measure(sample, WalSegment.Parse("000000010000000000000007"));

        // Assert
        Assert.Equal(0x3000000, measured.LagBytes);
        Assert.Equal(42, measured.LagSeconds);
        Assert.True(measured.LagAgainstArchive);
        Assert.False(measured.ArchiveOnAnotherTimeline);
        Assert.False(measured.PrimaryLsnKnown);
    }

    [Theory]
    [InlineData("0/7000028")]
    [InlineData("0/7FFFF00")]
    [InlineData("0/8000000")]
    [InlineData("0/9000000")]
    public void Measure_ReplayReachedTheNewestArchivedSegment_NoLag(string replayed)
    {
        // Arrange: inside 07 (the rest of it may be a record that goes on in 08, not archived yet), at its end, or past it
        var sample = Refused(replayed, timeline: 1) with { LastReplayAgeSeconds = 600 };

        // Act
        var measured = ArchiveLag.Measure(sample, WalSegment.Parse("000000010000000000000007"));

        // Assert: an idle primary never makes a caught-up standby look lagging
        Assert.Equal(0, measured.LagBytes);
        Assert.Equal(0, measured.LagSeconds);
        Assert.True(measured.LagAgainstArchive);
    }

    [Fact]
    public void Measure_LargerSegments_MeasuresWithTheStandbysSegmentSize()
    {
        // Arrange: 64 MiB segments, replay at the start of segment 01, the archive holds up to 02 (ends at 0/C000000)
        var sample = Refused("0/4000000", timeline: 1) with { WalSegmentBytes = 64 * 1024 * 1024 };

        // Act
        var measured = ArchiveLag.Measure(sample, WalSegment.Parse("000000010000000000000002"));

        // Assert
        Assert.Equal(0x8000000, measured.LagBytes);
    }

    [Theory]
    [InlineData("000000020000000000000009", 1)]
    [InlineData("000000010000000000000009", 2)]
    public void Measure_NewestOnAnotherTimelineThanReplay_AForkNotALag(string newest, int replayTimeline)
    {
        // Arrange
        var sample = Refused("0/5000000", replayTimeline);

        // Act
        var measured = ArchiveLag.Measure(sample, WalSegment.Parse(newest));

        // Assert
        Assert.Null(measured.LagBytes);
        Assert.Null(measured.LagSeconds);
        Assert.False(measured.LagAgainstArchive);
        Assert.True(measured.ArchiveOnAnotherTimeline);
        Assert.Equal(newest, measured.ArchiveNewest!.Name);
    }

    [Fact]
    public void Measure_ReplayTimelineUnknown_LagStaysUnknownWithoutClaimingAFork()
    {
        // Arrange
        var sample = Refused("0/5000000", timeline: null);

        // Act
        var measured = ArchiveLag.Measure(sample, WalSegment.Parse("000000010000000000000009"));

        // Assert
        Assert.Null(measured.LagBytes);
        Assert.False(measured.ArchiveOnAnotherTimeline);
    }

    [Fact]
    public void Measure_ArchiveNotRead_SampleUnchanged()
    {
        // Arrange
        var sample = Refused("0/5000000", timeline: 1);

        // Act
        var measured = ArchiveLag.Measure(sample, null);

        // Assert
        Assert.Same(sample, measured);
    }

    private static ReplicationSample Refused(string replayed, int? timeline) =>
        new ReplicationSample(true, null, replayed, null, null, null, null, false)
        {
            StreamingProblem = "the primary refuses the replication login of replicator: password authentication failed",
            ReplayTimeline = timeline,
            WalSegmentBytes = SegmentBytes,
        };
}
