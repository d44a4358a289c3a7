using PgStandby.Core.Postgres;

namespace PgStandby.Core.Tests.Postgres;

public sealed class WalSegmentNameTests
{
    [Theory]
    [InlineData("000000010000000000000002", 16777216L, "000000010000000000000001")]
    [InlineData("00000003000000020000001C", 16777216L, "00000003000000020000001B")]
    [InlineData("000000010000000200000000", 16777216L, "0000000100000001000000FF")]
    [InlineData("000000010000000200000000", 67108864L, "00000001000000010000003F")]
    [InlineData("000000010000000200000000", null, "0000000100000001000000FF")]
    [InlineData("0000000A000000AB000000CD", 16777216L, "0000000A000000AB000000CC")]
    public void Previous_IsTheSegmentBefore_OnTheSameTimeline(string name, long? segmentBytes, string expected)
    {
        // Act
        var previous = WalSegmentName.Previous(name, segmentBytes);

        // Assert
        Assert.Equal(expected, previous);
    }

    [Theory]
    [InlineData("000000010000000000000000", 16777216L)] // the very first segment
    [InlineData("000000010000000000000100", 16777216L)] // no log holds 256 segments of 16 MB
    [InlineData("00000001000000000000000", 16777216L)] // 23 characters
    [InlineData("00000001000000000000000G", 16777216L)] // not hexadecimal
    [InlineData("00000002.history", 16777216L)]
    public void Previous_OfNoSegmentBefore_OrNotASegmentName_IsNull(string name, long? segmentBytes)
    {
        // Act
        var previous = WalSegmentName.Previous(name, segmentBytes);

        // Assert
        Assert.Null(previous);
    }
}
