using PgStandby.Core.Replication;
using PgStandby.Core.Monitoring;

namespace PgStandby.Core.Tests.Monitoring;

public sealed class StreamReconnectsTests
{
    private static readonly ReplicationSample Streaming = new(true, "0/3000060", "0/3000060", 0, 0, "streaming", "10.0.0.5", false);
    private static readonly ReplicationSample Refused = new(true, null, "0/3000060", null, null, null, null, false) { StreamingProblem = "cannot connect to primary:5432" };
    private static readonly ReplicationSample Answered = new(true, null, "0/3000060", 64, null, null, null, true);

    [Fact]
    public void Observe_SteadyStreaming_OnlyTheFirstSampleCounts()
    {
        // Arrange
        var reconnects = new StreamReconnects();

        // Act
        var first = reconnects.Observe(Streaming);
        var next = Enumerable.Range(0, 5).Select(_ => reconnects.Observe(Streaming)).ToList();

        // Assert
        Assert.Equal("the first sample", first);
        Assert.All(next, Assert.Null);
    }

    [Fact]
    public void Observe_PrimaryAnswersAgainAfterAnOutage_Counts()
    {
        // Arrange
        var reconnects = new StreamReconnects();
        reconnects.Observe(Refused);

        // Act
        var stillDown = reconnects.Observe(Refused);
        var back = reconnects.Observe(Answered);
        var after = reconnects.Observe(Answered);

        // Assert
        Assert.Null(stillDown);
        Assert.Equal("the primary answers the replication login again", back);
        Assert.Null(after);
    }

    [Fact]
    public void Observe_WalReceiverStreamsAgain_Counts()
    {
        // Arrange
        var reconnects = new StreamReconnects();
        reconnects.Observe(Answered);

        // Act and Assert
        Assert.Equal("the WAL receiver streams again", reconnects.Observe(Streaming));
    }

    [Fact]
    public void Observe_PromotedNode_NeverCounts()
    {
        // Arrange
        var reconnects = new StreamReconnects();

        // Act and Assert
        Assert.Null(reconnects.Observe(Answered with { InRecovery = false }));
    }
}
