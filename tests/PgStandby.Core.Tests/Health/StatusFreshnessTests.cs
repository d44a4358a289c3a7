using PgStandby.Core.Health;

namespace PgStandby.Core.Tests.Health;

/// <summary>Whether the worker that wrote a status still rewrites it: what `health` and the systemd watchdog go by.</summary>
public sealed class StatusFreshnessTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(25, true)]
    public void IsFreshAt_StaleAfterRelativeToNow_FreshUntilItPasses(int staleAfterSeconds, bool expected)
    {
        // Arrange
        var snapshot = Snapshot() with { StaleAfter = Now.AddSeconds(staleAfterSeconds) };

        // Act
        var fresh = snapshot.IsFreshAt(Now);

        // Assert
        Assert.Equal(expected, fresh);
    }

    [Fact]
    public void IsFreshAt_NoStaleAfter_Fresh()
    {
        // Act
        var fresh = Snapshot().IsFreshAt(Now);

        // Assert
        Assert.True(fresh);
    }

    private static StatusSnapshot Snapshot() => new() { State = "streaming", Since = Now, Reason = "r", NextStep = "n", UpdatedAt = Now };
}
