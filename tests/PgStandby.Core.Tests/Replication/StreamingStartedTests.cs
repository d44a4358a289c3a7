using PgStandby.Core.Replication;

namespace PgStandby.Core.Tests.Replication;

public sealed class StreamingStartedTests
{
    [Theory]
    [InlineData("2026-03-01 12:00:02.000 GMT [4250] LOG:  started streaming WAL from primary at 0/4000000 on timeline 1", true)]
    [InlineData("2026-03-01 12:00:02.000 GMT [4250] LOG:  restarted WAL streaming at 0/5000000 on timeline 2", true)]
    [InlineData("2026-03-01 12:00:02.000 GMT [4250] FATAL:  could not connect to the primary server: connection refused", false)]
    [InlineData("2026-03-01 12:00:02.000 GMT [4250] LOG:  database system is ready to accept read-only connections", false)]
    public void IsStreamingLine_PostgresLine_RecognisesTheWalReceiverStreaming(string line, bool expected)
    {
        // Act
        var streaming = StreamingStarted.IsStreamingLine(line);

        // Assert
        Assert.Equal(expected, streaming);
    }

    [Fact]
    public void Raise_BeforeAnyoneWaits_NextIsAlreadyComplete()
    {
        // Arrange
        var signal = new StreamingStarted();

        // Act
        signal.Raise(DateTimeOffset.UnixEpoch);

        // Assert
        Assert.True(signal.Next.IsCompleted);
    }

    [Fact]
    public void Reset_AfterRaise_WaitsForTheNextOne()
    {
        // Arrange
        var signal = new StreamingStarted();
        signal.Raise(DateTimeOffset.UnixEpoch);

        // Act
        signal.Reset();

        // Assert
        Assert.False(signal.Next.IsCompleted);
        signal.Raise(DateTimeOffset.UnixEpoch);
        Assert.True(signal.Next.IsCompleted);
    }
}
