using Microsoft.Extensions.Time.Testing;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Supervision;

namespace PgStandby.Core.Tests.Supervision;

public sealed class RestartPolicyTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Failed_InARow_BacksOffAndFailsFromTheThird()
    {
        // Arrange
        var policy = new RestartPolicy(_time);

        // Act
        var delays = Enumerable.Range(0, 3).Select(_ => policy.Failed(_time.GetTimestamp())).ToList();

        // Assert
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], delays);
        Assert.Equal(3, policy.Failures);
        Assert.True(policy.IsFailing);
    }

    [Fact]
    public void Failed_AfterAStableRun_CountsFromOneAgain()
    {
        // Arrange
        var policy = new RestartPolicy(_time);
        policy.Failed(_time.GetTimestamp());
        policy.Failed(_time.GetTimestamp());
        var started = _time.GetTimestamp();
        _time.Advance(RestartPolicy.StableRun + TimeSpan.FromSeconds(1));

        // Act
        var delay = policy.Failed(started);

        // Assert
        Assert.Equal(1, policy.Failures);
        Assert.Equal(TimeSpan.FromSeconds(1), delay);
        Assert.False(policy.IsFailing);
    }

    [Fact]
    public void Reset_NextFailureIsTheFirst()
    {
        // Arrange
        var policy = new RestartPolicy(_time);
        policy.Failed(_time.GetTimestamp());
        policy.Failed(_time.GetTimestamp());

        // Act
        policy.Reset();
        policy.Failed(_time.GetTimestamp());

        // Assert
        Assert.Equal(1, policy.Failures);
    }

    [Theory]
    [InlineData(true, 1, "DiskFull")]
    [InlineData(true, 3, "DiskFull")]
    [InlineData(false, 1, "StartingPostgres")]
    [InlineData(false, 3, "Failing")]
    public void AfterCrash_DiskFullFirstThenFailingFromTheThird(bool diskFull, int failures, string expected)
    {
        // Arrange
        var policy = new RestartPolicy(_time);
        TimeSpan delay = default;
        for (var i = 0; i < failures; i++)
        {
            delay = policy.Failed(_time.GetTimestamp());
        }

        // Act
        var (state, reason, _) = policy.AfterCrash(1, delay, diskFull, "FATAL:  boom", "/data");

        // Assert
        Assert.Equal(Enum.Parse<StandbyState>(expected), state);
        Assert.Contains($"{delay.TotalSeconds:0} s", reason, StringComparison.Ordinal);
        Assert.Equal(state != StandbyState.StartingPostgres, reason.Contains("FATAL:  boom", StringComparison.Ordinal));
    }
}
