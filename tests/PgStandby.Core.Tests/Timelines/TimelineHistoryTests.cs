using PgStandby.Core.Timelines;

namespace PgStandby.Core.Tests.Timelines;

public sealed class TimelineHistoryTests
{
    [Fact]
    public void Parse_HistoryFile_EveryAncestorWithItsSwitchPoint()
    {
        // Arrange: 00000003.history as postgres writes it.
        const string content = "1\t0/3000000\tno recovery target specified\n\n# a comment\n2\t16/B374D848\tat restore point \"before\"\n";

        // Act
        var history = TimelineHistory.Parse(content);

        // Assert
        Assert.Equal([new TimelineSwitch(1, 0x3000000), new TimelineSwitch(2, 0x16B374D848)], history);
    }

    [Theory]
    [InlineData("0/0", 0UL)]
    [InlineData("16/B374D848", 0x16B374D848UL)]
    [InlineData("FFFFFFFF/FFFFFFFF", ulong.MaxValue)]
    public void Lsn_ParseAndFormat_RoundTrip(string text, ulong value)
    {
        // Act
        var parsed = Lsn.TryParse(text, out var lsn);

        // Assert
        Assert.True(parsed);
        Assert.Equal(value, lsn);
        Assert.Equal(text, Lsn.Format(lsn));
    }

    [Theory]
    [InlineData("")]
    [InlineData("16")]
    [InlineData("/1")]
    [InlineData("1/G")]
    public void Lsn_NotAPosition_Refused(string text) => Assert.False(Lsn.TryParse(text, out _));
}
