using PgStandby.Core.Timelines;

namespace PgStandby.Core.Tests.Timelines;

public sealed class ForkVerdictTests
{
    private static readonly TimelineSwitch[] ThreeFromTwoFromOne = [new(1, 0x3000000), new(2, 0x5000000)];

    [Theory]
    [InlineData(3, 0x9000000UL, false)] // on the primary's timeline
    [InlineData(2, 0x4000000UL, false)] // before timeline 3 left 2: postgres follows
    [InlineData(2, 0x5000000UL, false)] // exactly at the switch point: postgres follows
    [InlineData(2, 0x5000001UL, true)] // past it: never
    [InlineData(1, 0x3800000UL, true)]
    [InlineData(4, 0x1000000UL, true)] // a timeline the primary never had: it followed another failover
    public void Judge_StandbyAgainstThePrimarysHistory_ForkedOnlyPastTheSwitchPointOrOffTheHistory(int standbyTimeline, ulong position, bool forked)
    {
        // Act
        var verdict = ForkVerdict.Judge(standbyTimeline, position, primaryTimeline: 3, ThreeFromTwoFromOne);

        // Assert
        Assert.Equal(forked, verdict.Forked);
    }

    [Fact]
    public void Judge_PastTheSwitchPoint_SaysWhereTheHistoryLeft()
    {
        // Act
        var verdict = ForkVerdict.Judge(2, 0x6000000, 3, ThreeFromTwoFromOne);

        // Assert
        Assert.Equal("the primary's timeline 3 left timeline 2 at 0/5000000, before the standby's position 0/6000000", verdict.Why);
    }

    [Fact]
    public void Judge_PrimaryOnTheFirstTimelineStandbyOnALaterOne_Forked()
    {
        // Act
        var verdict = ForkVerdict.Judge(2, 0x1000000, 1, []);

        // Assert
        Assert.True(verdict.Forked);
    }
}
