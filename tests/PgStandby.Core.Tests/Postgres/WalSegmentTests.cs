using PgStandby.Core.Postgres;

namespace PgStandby.Core.Tests.Postgres;

public sealed class WalSegmentTests
{
    [Fact]
    public void Parse_SegmentName_ReadsTimelineLogAndSegment()
    {
        // Act
        var segment = WalSegment.Parse("0000000300000001000000A2");

        // Assert
        Assert.Equal(new WalSegment(3, 1, 0xA2), segment);
        Assert.Equal("0000000300000001000000A2", segment!.Name);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("00000002.history")]
    [InlineData("00000000000000010000000A")]
    [InlineData("0000000G000000010000000A")]
    public void Parse_NotASegmentName_Null(string? name) =>
        Assert.Null(WalSegment.Parse(name));

    [Theory]
    [InlineData(0x3000000UL, "000000010000000000000003")]
    [InlineData(0x3FFFFFFUL, "000000010000000000000003")]
    [InlineData(0x1_0500_0028UL, "000000010000000100000005")]
    public void Of_Lsn_IsTheSegmentThatHoldsIt(ulong lsn, string expected) =>
        Assert.Equal(expected, WalSegment.Of(1, lsn, 16 * 1024 * 1024).Name);

    [Fact]
    public void Of_LargerSegments_CountsSegmentsOfThatSize() =>
        Assert.Equal("000000010000000000000001", WalSegment.Of(1, 0x4000000, 64 * 1024 * 1024).Name);

    [Fact]
    public void IsNewerByNameThan_NewerTimelineAtAnEarlierPosition_IsNewer()
    {
        // Arrange
        var onNewerTimeline = WalSegment.Parse("000000020000000000000003")!;
        var further = WalSegment.Parse("000000010000000000000009")!;

        // Act and Assert: pgBackRest's archive max is by name, timeline first.
        Assert.True(onNewerTimeline.IsNewerByNameThan(further));
        Assert.False(further.IsNewerByNameThan(onNewerTimeline));
        Assert.True(further.Position > onNewerTimeline.Position);
    }

    [Theory]
    [InlineData("000000010000000000000003", 16 * 1024 * 1024, 0x4000000UL)]
    [InlineData("0000000100000001000000FF", 16 * 1024 * 1024, 0x2_0000_0000UL)]
    [InlineData("000000010000000000000001", 64 * 1024 * 1024, 0x8000000UL)]
    public void EndLsn_Segment_IsWhereTheNextSegmentStarts(string name, long segmentBytes, ulong expected)
    {
        // Arrange
        var segment = WalSegment.Parse(name)!;

        // Act
        var end = segment.EndLsn(segmentBytes);

        // Assert: its last byte is in it, the end is the next segment's first byte
        Assert.Equal(expected, end);
        Assert.Equal(segment, WalSegment.Of(1, end - 1, segmentBytes));
        Assert.True(WalSegment.Of(1, end, segmentBytes).Position > segment.Position);
    }
}
