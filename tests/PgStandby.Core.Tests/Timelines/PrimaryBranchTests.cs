using PgStandby.Core.Timelines;

namespace PgStandby.Core.Tests.Timelines;

public sealed class PrimaryBranchTests
{
    /// <summary>Timeline 4's history: 1 left at 0/3000000 for 2, 2 left at 0/5000000 for 4.</summary>
    private static readonly PrimaryBranch Branch = new(4, [new TimelineSwitch(1, 0x3000000), new TimelineSwitch(2, 0x5000000)]);

    [Theory]
    [InlineData(4, 0x9000000UL, true)]
    [InlineData(2, 0x5000000UL, true)]
    [InlineData(2, 0x5000001UL, false)]
    [InlineData(1, 0x2FFFFFFUL, true)]
    [InlineData(3, 0x1000000UL, false)]
    public void Holds_PositionOnATimeline_OnlyWhereTheBranchWent(int timeline, ulong lsn, bool expected) =>
        Assert.Equal(expected, Branch.Holds(timeline, lsn));

    [Fact]
    public void ChildOf_Ancestors_TheNextTimelineAndWhereItStarts()
    {
        // Act and Assert
        Assert.Equal((2, 0x3000000UL), Branch.ChildOf(1));
        Assert.Equal((4, 0x5000000UL), Branch.ChildOf(2));
        Assert.Null(Branch.ChildOf(3));
        Assert.Null(Branch.ChildOf(4));
    }
}
