using PgStandby.Core.Replication;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Monitoring;

namespace PgStandby.Core.Tests.Monitoring;

public sealed class ReplicationVerdictTests
{
    private const string Primary = "postgres_master:5432";

    [Fact]
    public void Decide_WalReceiverStreaming_Streaming()
    {
        // Arrange
        var sample = Sample(inRecovery: true, receiver: "streaming", sender: "10.0.0.5");

        // Act
        var (state, reason, nextStep) = ReplicationVerdict.Decide(sample, Primary);

        // Assert
        Assert.Equal(StandbyState.Streaming, state);
        Assert.Equal("streaming from 10.0.0.5", reason);
        Assert.Equal("none", nextStep);
    }

    [Fact]
    public void Decide_StreamingWithoutSenderHost_NamesConfiguredPrimary()
    {
        // Arrange
        var sample = Sample(inRecovery: true, receiver: "streaming", sender: null);

        // Act
        var (_, reason, _) = ReplicationVerdict.Decide(sample, Primary);

        // Assert
        Assert.Equal("streaming from postgres_master:5432", reason);
    }

    [Theory]
    [InlineData(null, "not running")]
    [InlineData("waiting", "waiting")]
    [InlineData("startup", "startup")]
    public void Decide_InRecoveryNotStreaming_CatchingUpFromArchive(string? receiver, string shown)
    {
        // Arrange
        var sample = Sample(inRecovery: true, receiver: receiver, sender: null);

        // Act
        var (state, reason, nextStep) = ReplicationVerdict.Decide(sample, Primary);

        // Assert
        Assert.Equal(StandbyState.CatchingUpFromArchive, state);
        Assert.Equal("streaming unavailable: the WAL receiver is " + shown + ", replaying from the archive only", reason);
        Assert.Contains(Primary, nextStep, StringComparison.Ordinal);
        Assert.Contains("PG_REPLICATION_PASSWORD", nextStep, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_ReplicationLoginRefused_ReasonSaysWhyStreamingIsUnavailable()
    {
        // Arrange
        var sample = Sample(inRecovery: true, receiver: null, sender: null) with
        {
            StreamingProblem = "the primary refuses the replication login of replicator: password authentication failed for user \"replicator\" (SQLSTATE 28P01)",
        };

        // Act
        var (state, reason, _) = ReplicationVerdict.Decide(sample, Primary);

        // Assert
        Assert.Equal(StandbyState.CatchingUpFromArchive, state);
        Assert.StartsWith("streaming unavailable: the primary refuses the replication login of replicator: password authentication failed", reason, StringComparison.Ordinal);
        Assert.EndsWith(", replaying from the archive only", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_RecoveryPaused_ReportedWithTheWayToResume()
    {
        // Arrange
        var sample = Sample(inRecovery: true, receiver: "streaming", sender: "10.0.0.5") with { RecoveryPaused = true };

        // Act
        var (state, reason, nextStep) = ReplicationVerdict.Decide(sample, Primary);

        // Assert
        Assert.Equal(StandbyState.Streaming, state);
        Assert.Contains("recovery is PAUSED", reason, StringComparison.Ordinal);
        Assert.Contains("pg_wal_replay_resume()", nextStep, StringComparison.Ordinal);
    }

    private static ReplicationSample Sample(bool inRecovery, string? receiver, string? sender) =>
        new(inRecovery, "0/3000060", "0/3000060", 0, 0, receiver, sender, PrimaryLsnKnown: true);
}
