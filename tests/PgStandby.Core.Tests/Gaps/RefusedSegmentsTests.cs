using PgStandby.Core.Gaps;
using PgStandby.Core.Tests.TestSupport;
using PgStandby.Core.Postgres;

namespace PgStandby.Core.Tests.Gaps;

public sealed class RefusedSegmentsTests
{
    [Fact]
    public void Parse_WalReceiverMessage_NamesTheSegment()
    {
        // Act: the message part of the WAL receiver's line, as PostgreSQL 15 writes it.
        var segment = RefusedSegments.Parse("could not receive data from WAL stream: ERROR:  requested WAL segment 00000001000000000000000A has already been removed");

        // Assert
        Assert.Equal("00000001000000000000000A", segment?.Name);
    }

    [Theory]
    [InlineData("started streaming WAL from primary at 0/3000000 on timeline 1")]
    [InlineData("requested WAL segment 00000001000000000000000A is missing")]
    [InlineData("requested WAL segment 0000000100000000000000 has already been removed")]
    public void Parse_OtherMessages_Null(string message) =>
        Assert.Null(RefusedSegments.Parse(message));

    [Fact]
    public void Since_RefusalBeforeTheStallBegan_Null()
    {
        // Arrange
        var refused = new RefusedSegments();
        refused.Record(WalSegment.Parse("00000001000000000000000A")!, TestWorld.Start);

        // Act and Assert
        Assert.Null(refused.Since(TestWorld.Start.AddSeconds(1)));
        Assert.Equal("00000001000000000000000A", refused.Since(TestWorld.Start)?.Name);
    }
}
