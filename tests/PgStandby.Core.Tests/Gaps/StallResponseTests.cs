using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using PgStandby.Core.Gaps;
using PgStandby.Core.Postgres;
using PgStandby.Core.Processes;
using PgStandby.Core.Replication;
using PgStandby.Core.Restore;
using PgStandby.Core.Ssh;
using PgStandby.Core.Tests.Postgres;
using PgStandby.Core.Tests.Restore;
using PgStandby.Core.Tests.TestSupport;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Repository;

namespace PgStandby.Core.Tests.Gaps;

public sealed class StallResponseTests : IDisposable
{
    private static readonly TimeSpan Stuck = TimeSpan.FromSeconds(30);

    /// <summary>The oldest backup starts at segment 0C and the archive reaches 10: segment 05 was expired.</summary>
    private static readonly string ExpiredInfo = PgBackRestInfoSamples.Ok
        .Replace("{\"start\": \"000000010000000000000002\"", "{\"start\": \"00000001000000000000000C\"", StringComparison.Ordinal)
        .Replace("\"max\": \"000000010000000000000006\"", "\"max\": \"000000010000000000000010\"", StringComparison.Ordinal);

    private readonly TestWorld _world = new();
    private readonly Mock<ICommandRunner> _commands = new(MockBehavior.Strict);
    private readonly Mock<IRemoteShell> _primary = new(MockBehavior.Strict);
    private readonly RefusedSegments _refused = new();
    private readonly ResyncSignal _resync = new();
    private readonly StallResponse _response;

    public StallResponseTests()
    {
        _primary.SetupGet(p => p.TrustedHostKey).Returns((string?)null);
        var health = _world.CreateHealth();
        _response = new StallResponse(
            new GapInspector(
                new PostgresTools(_commands.Object, Options.Create(_world.Standby)),
                new RepositoryWaiter(_primary.Object, health, Options.Create(_world.Repository), Options.Create(_world.Standby), Options.Create(_world.Supervision), _world.Time, NullLogger<RepositoryWaiter>.Instance),
                new ArchivedSegments(_commands.Object, Options.Create(_world.Repository), Options.Create(_world.Standby)),
                _refused),
            _resync,
            Options.Create(_world.Supervision),
            _world.Time,
            NullLogger<StallResponse>.Instance);
        _commands.Setup(c => c.RunAsync(It.Is<CommandSpec>(spec => spec.FileName.EndsWith("pg_controldata", StringComparison.Ordinal)), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new CommandResult(0, ControlDataTests.RaisedSample, string.Empty));
        _world.Time.Advance(Stuck);
    }

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task RespondAsync_ExpiredGapWithoutResyncOnGap_RequestsResyncFromTheNewestBackup()
    {
        // Arrange
        Repository(ExpiredInfo, inArchive: false);
        _refused.Record(WalSegment.Parse("000000010000000000000005")!, TestWorld.Start.AddSeconds(5));

        // Act
        var (state, reason, nextStep) = await _response.RespondAsync(Sample("0/5000100"), Stuck, CancellationToken.None);

        // Assert
        Assert.Equal(StandbyState.Stalled, state);
        Assert.Contains("an expired WAL gap", reason, StringComparison.Ordinal);
        Assert.StartsWith("none: the standby re-syncs", nextStep, StringComparison.Ordinal);
        Assert.True(_resync.Requested.IsCompleted);
        Assert.Null(_resync.Branch);
        _commands.Verify(c => c.RunAsync(It.Is<CommandSpec>(spec => spec.Arguments.Contains("archive-get") && spec.Arguments.Contains("000000010000000000000005")), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task RespondAsync_SegmentNewerThanTheArchiveWithResyncOnGap_WaitsWithoutResync()
    {
        // Arrange
        _world.Supervision.ResyncOnGap = true;
        Repository(ExpiredInfo, inArchive: false);

        // Act
        var (state, reason, _) = await _response.RespondAsync(Sample("0/12000100"), Stuck, CancellationToken.None);

        // Assert
        Assert.Equal(StandbyState.Stalled, state);
        Assert.Contains("the primary's archiving is behind", reason, StringComparison.Ordinal);
        Assert.False(_resync.Requested.IsCompleted);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RespondAsync_HoleAfterTheOldestBackup_ResyncOnGapDecides(bool resyncOnGap)
    {
        // Arrange: segment 05 missing, the oldest backup starts at 02: not expired, the hole may be filled.
        _world.Supervision.ResyncOnGap = resyncOnGap;
        Repository(PgBackRestInfoSamples.Ok.Replace("\"max\": \"000000010000000000000006\"", "\"max\": \"000000010000000000000010\"", StringComparison.Ordinal), inArchive: false);
        _refused.Record(WalSegment.Parse("000000010000000000000005")!, TestWorld.Start.AddSeconds(5));

        // Act
        var (state, reason, nextStep) = await _response.RespondAsync(Sample("0/5000100"), Stuck, CancellationToken.None);

        // Assert
        Assert.Equal(StandbyState.Stalled, state);
        Assert.Contains("a WAL segment is probably missing from the archive", reason, StringComparison.Ordinal);
        Assert.Equal(resyncOnGap, _resync.Requested.IsCompleted);
        Assert.Equal(resyncOnGap, nextStep.StartsWith("none", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RespondAsync_PrimaryRefusedBeforeTheStallBegan_NotExpired()
    {
        // Arrange: an old refusal says nothing of the primary now.
        Repository(ExpiredInfo, inArchive: false);
        _refused.Record(WalSegment.Parse("000000010000000000000005")!, TestWorld.Start.AddSeconds(-1));

        // Act
        var (_, reason, _) = await _response.RespondAsync(Sample("0/5000100"), Stuck, CancellationToken.None);

        // Assert
        Assert.Contains("the primary has not said it removed it", reason, StringComparison.Ordinal);
        Assert.False(_resync.Requested.IsCompleted);
    }

    [Fact]
    public async Task RespondAsync_SameStallWithinAMinute_AsksTheRepositoryOnce()
    {
        // Arrange
        Repository(ExpiredInfo, inArchive: false);

        // Act
        await _response.RespondAsync(Sample("0/5000100"), Stuck, CancellationToken.None);
        _world.Time.Advance(TimeSpan.FromSeconds(5));
        await _response.RespondAsync(Sample("0/5000100"), Stuck + TimeSpan.FromSeconds(5), CancellationToken.None);
        _world.Time.Advance(StallResponse.InspectEvery);
        await _response.RespondAsync(Sample("0/5000100"), Stuck + StallResponse.InspectEvery, CancellationToken.None);

        // Assert
        _primary.Verify(p => p.RunPgBackRestAsync(It.IsAny<IReadOnlyList<IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task RespondAsync_LagMeasuredAgainstTheArchive_ReasonNamesTheArchiveNotThePrimary()
    {
        // Arrange: no replication login; segment 05 missing from an archive that reaches 10
        Repository(PgBackRestInfoSamples.Ok.Replace("\"max\": \"000000010000000000000006\"", "\"max\": \"000000010000000000000010\"", StringComparison.Ordinal), inArchive: false);
        var sample = new ReplicationSample(true, null, "0/5000000", 0xC000000, 30, null, null, false)
        {
            StreamingProblem = "password authentication failed",
            ArchiveNewest = WalSegment.Parse("000000010000000000000010"),
        };

        // Act
        var (state, reason, nextStep) = await _response.RespondAsync(sample, Stuck, CancellationToken.None);

        // Assert
        Assert.Equal(StandbyState.Stalled, state);
        Assert.StartsWith("replay has not advanced from 0/5000000 for 30 s while the archive's newest WAL (000000010000000000000010) is 201326592 bytes ahead (the primary's position cannot be asked) and streaming is unavailable: a WAL segment is probably missing from the archive", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("the primary is", reason, StringComparison.Ordinal);
        Assert.Contains("PGSTANDBY_RESYNC_ON_GAP=true", nextStep, StringComparison.Ordinal);
    }

    private static ReplicationSample Sample(string replayed) => new(true, null, replayed, 4096, null, null, null, true);

    private void Repository(string infoJson, bool inArchive)
    {
        _primary.Setup(p => p.RunPgBackRestAsync(It.IsAny<IReadOnlyList<IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([new RemoteResult(0, infoJson, string.Empty)]);
        _commands.Setup(c => c.RunAsync(It.Is<CommandSpec>(spec => spec.FileName == "pgbackrest" && spec.Arguments.Contains("archive-get")), It.IsAny<CancellationToken>()))
            .ReturnsAsync(inArchive ? new CommandResult(0, string.Empty, string.Empty) : new CommandResult(1, string.Empty, "unable to find the segment in the archive"));
    }
}
