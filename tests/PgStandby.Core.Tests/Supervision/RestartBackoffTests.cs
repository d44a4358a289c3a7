using PgStandby.Core.Supervision;

namespace PgStandby.Core.Tests.Supervision;

public sealed class RestartBackoffTests
{
    [Theory]
    [InlineData(-1, 0)]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(6, 32)]
    [InlineData(7, 60)]
    [InlineData(11, 60)]
    [InlineData(1000, 60)]
    [InlineData(int.MaxValue, 60)]
    public void Delay_ConsecutiveFailures_DoublesUpToCap(int failures, int expectedSeconds)
    {
        // Act
        var delay = RestartBackoff.Delay(failures);

        // Assert
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), delay);
    }

    [Fact]
    public void Delay_AnyFailureCount_NeverExceedsCapAndNeverShrinks()
    {
        // Act
        var delays = Enumerable.Range(0, 200).Select(RestartBackoff.Delay).ToList();

        // Assert
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, RestartBackoff.Cap));
        Assert.Equal(delays.Order(), delays);
    }
}
