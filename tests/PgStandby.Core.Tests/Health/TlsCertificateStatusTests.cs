using PgStandby.Core.Health;

namespace PgStandby.Core.Tests.Health;

public sealed class TlsCertificateStatusTests
{
    [Theory]
    [InlineData(-1, true)]
    [InlineData(29, true)]
    [InlineData(31, false)]
    public void ExpiresSoon_FollowsTheClockFromThirtyDaysBeforeTheEnd(int daysLeft, bool expected)
    {
        // Arrange
        var status = new TlsCertificateStatus("CN=standby-1a2b3c4d", DateTimeOffset.UtcNow.AddDays(daysLeft), "SHA256:x");

        // Act
        var soon = status.ExpiresSoon;

        // Assert
        Assert.Equal(expected, soon);
    }
}
