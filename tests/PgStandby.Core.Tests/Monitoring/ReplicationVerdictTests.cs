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

    [Fact]
    public void Decide_LagMeasuredAgainstTheArchive_ReasonSaysSoWithoutFigures()
    {
        // Arrange
        var sample = ArchiveOnly("000000010000000000000007", replayTimeline: 1) with { LagBytes = 0x3000000 };

        // Act
        var (state, reason, nextStep) = ReplicationVerdict.Decide(sample, Primary);

        // Assert: the reason stays the same while the archive moves on (one log line)
        Assert.Equal(StandbyState.CatchingUpFromArchive, state);
        Assert.Equal("streaming unavailable: the primary refuses the replication login of replicator: password authentication failed, replaying from the archive only; the primary's position cannot be asked, so the lag is measured against the archive's newest WAL", reason);
        Assert.StartsWith("none if this is temporary", nextStep, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_ArchivesNewestOnAnotherTimeline_AForkToLookIntoInTheReasonAndTheNextStep()
    {
        // Arrange
        var sample = ArchiveOnly("000000020000000000000009", replayTimeline: 1);

        // Act
        var (state, reason, nextStep) = ReplicationVerdict.Decide(sample, Primary);

        // Assert
        Assert.Equal(StandbyState.CatchingUpFromArchive, state);
        Assert.EndsWith("; the archive's newest WAL is on timeline 2, not on replay's timeline 1: a fork to look into (or a timeline switch replay has not reached yet), so the lag is unknown", reason, StringComparison.Ordinal);
        Assert.StartsWith("find out why the archive's newest WAL is on timeline 2", nextStep, StringComparison.Ordinal);
        Assert.Contains("check that postgres_master:5432 accepts replication connections", nextStep, StringComparison.Ordinal);
    }

    private static ReplicationSample ArchiveOnly(string archiveNewest, int replayTimeline) =>
        new ReplicationSample(true, null, "0/5000000", null, null, null, null, false)
        {
            StreamingProblem = "the primary refuses the replication login of replicator: password authentication failed",
            ReplayTimeline = replayTimeline,
            ArchiveNewest = PgStandby.Core.Postgres.WalSegment.Parse(archiveNewest),
        };

    private static ReplicationSample Sample(bool inRecovery, string? receiver, string? sender) =>
        new(inRecovery, "0/3000060", "0/3000060", 0, 0, receiver, sender, PrimaryLsnKnown: true);
}
