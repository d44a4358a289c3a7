using PgStandby.Core.Replication;
using PgStandby.Core.Monitoring;

namespace PgStandby.Core.Tests.Monitoring;

public sealed class LagJudgeTests
{
    private readonly LagJudge _judge = new(maxBytes: 1000, maxSeconds: TimeSpan.FromSeconds(60), samples: 3);

    [Fact]
    public void Observe_PastLimitFewerThanSamples_NotLagging()
    {
        // Act
        var results = new[] { _judge.Observe(Sample(5000, 0)), _judge.Observe(Sample(5000, 0)) };

        // Assert
        Assert.All(results, Assert.False);
    }

    [Fact]
    public void Observe_PastBytesForSamplesInARow_Lagging()
    {
        // Act
        _judge.Observe(Sample(5000, 0));
        _judge.Observe(Sample(5000, 0));
        var lagging = _judge.Observe(Sample(5000, 0));

        // Assert
        Assert.True(lagging);
    }

    [Fact]
    public void Observe_PastSecondsOnly_Lagging()
    {
        // Act
        var results = Enumerable.Range(0, 3).Select(_ => _judge.Observe(Sample(10, 61))).ToList();

        // Assert
        Assert.Equal([false, false, true], results);
    }

    [Fact]
    public void Observe_AlternatingAroundTheLimit_NeverFlaps()
    {
        // Act
        var results = Enumerable.Range(0, 10).Select(i => _judge.Observe(Sample(i % 2 == 0 ? 5000 : 10, 0))).ToList();

        // Assert
        Assert.All(results, Assert.False);
    }

    [Fact]
    public void Observe_LaggingThenWithinForFewerThanSamples_StillLagging()
    {
        // Arrange
        Enumerable.Range(0, 3).ToList().ForEach(_ => _judge.Observe(Sample(5000, 0)));

        // Act
        var results = new[] { _judge.Observe(Sample(0, 0)), _judge.Observe(Sample(0, 0)), _judge.Observe(Sample(0, 0)) };

        // Assert
        Assert.Equal([true, true, false], results);
    }

    [Fact]
    public void Observe_UnknownLag_WithinLimits()
    {
        // Act
        var results = Enumerable.Range(0, 3).Select(_ => _judge.Observe(Sample(null, null))).ToList();

        // Assert
        Assert.All(results, Assert.False);
    }

    [Fact]
    public void Reset_AfterLagging_NotLaggingAndCountsAgain()
    {
        // Arrange
        Enumerable.Range(0, 3).ToList().ForEach(_ => _judge.Observe(Sample(5000, 0)));

        // Act
        _judge.Reset();
        var first = _judge.Observe(Sample(5000, 0));

        // Assert
        Assert.False(first);
    }

    private static ReplicationSample Sample(long? bytes, double? seconds) =>
        new(true, "0/3000000", "0/3000000", bytes, seconds, "streaming", "10.0.0.5", bytes is not null);
}
