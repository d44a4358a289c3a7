using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using PgStandby.Core.Health;
using PgStandby.Core.Postgres;
using PgStandby.Core.Processes;
using PgStandby.Core.Promotion;
using PgStandby.Core.Rendering;
using PgStandby.Core.Tests.Postgres;
using PgStandby.Core.Tests.Rendering;
using PgStandby.Core.Tests.TestSupport;
using PgStandby.Core.Configuration;
using PgStandby.Core.Diagnostics;

namespace PgStandby.Core.Tests.Promotion;

public sealed class PromotionRecorderTests : IDisposable
{
    private const ulong SystemId = 7712786763852387577;

    /// <summary>What pg_promote leaves in pg_wal for timeline 2 (src/backend/access/transam/timeline.c writeTimeLineHistory).</summary>
    private const string Timeline2History = "1\t0/3000000\tno recovery target specified\n";

    private static readonly NodeFacts PromotedFacts = new(InRecovery: false, SystemId, Timeline: 2, ReplayedLsn: "0/5000060", ReadOnly: false);

    private readonly TestWorld _world = new();
    private readonly Mock<ILocalNode> _node = new(MockBehavior.Strict);
    private readonly NodeRole _role = new();
    private readonly HealthState _health;
    private readonly FolderPreparer _folders = new(NullLogger<FolderPreparer>.Instance);
    private readonly PromotionRecorder _recorder;

    public PromotionRecorderTests()
    {
        Directory.CreateDirectory(_world.Standby.DataDirectory);
        Directory.CreateDirectory(_world.Standby.RunDirectory);
        _health = _world.CreateHealth();
        var renderer = new ConfigRenderer(
            Options.Create(_world.Repository),
            Options.Create(_world.Replication),
            Options.Create(_world.Standby),
            _folders,
            _role,
            NullLogger<ConfigRenderer>.Instance);
        _recorder = new PromotionRecorder(
            _node.Object,
            _role,
            _health,
            _folders,
            renderer,
            new LeftoverProcesses(_world.Time, NullLogger<LeftoverProcesses>.Instance),
            Options.Create(_world.Standby),
            Options.Create(_world.Replication),
            _world.Time,
            NullLogger<PromotionRecorder>.Instance);
        _node.Setup(n => n.ReloadAsync(It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
    }

    private string Data => _world.Standby.DataDirectory;

    private string State => _world.Standby.StateDirectory;

    public void Dispose() => _world.Dispose();

    [Theory]
    [InlineData("in production", true)]
    [InlineData("shut down", true)]
    [InlineData("shutting down", true)]
    [InlineData("in archive recovery", false)]
    [InlineData("shut down in recovery", false)]
    [InlineData("in crash recovery", false)]
    [InlineData("starting up", false)]
    [InlineData("", false)]
    public void LooksPromoted_ClusterStateWithoutStandbySignal_OnlyOutOfRecovery(string clusterState, bool expected)
    {
        // Act
        var promoted = PromotionRecorder.LooksPromoted(new ControlData(SystemId, clusterState), Data);

        // Assert
        Assert.Equal(expected, promoted);
    }

    [Theory]
    [InlineData("standby.signal")]
    [InlineData("backup_label")]
    [InlineData("backup.manifest")]
    public void LooksPromoted_InProductionButAStandbyOrARestoreFile_False(string file)
    {
        // Arrange: a restored backup's pg_control says "in production" until replay starts
        _world.Temp.WriteFile(Path.Combine("data", file));

        // Act
        var promoted = PromotionRecorder.LooksPromoted(new ControlData(SystemId, "in production"), Data);

        // Assert
        Assert.False(promoted);
    }

    [Fact]
    public void LooksPromoted_NoControlData_False()
    {
        // Act
        var promoted = PromotionRecorder.LooksPromoted(null, Data);

        // Assert
        Assert.False(promoted);
    }

    [Fact]
    public async Task RecordAsync_PromotedWhileARequestIsPending_RecordsByCommandAndClearsTheRequest()
    {
        // Arrange
        _node.Setup(n => n.FactsAsync(It.IsAny<CancellationToken>())).ReturnsAsync(PromotedFacts);
        _world.Temp.WriteFile("data/pg_wal/00000002.history", Timeline2History);
        Directory.CreateDirectory(State);
        PromotionRequest.Write(_folders, State, _world.Time.GetUtcNow());
        _world.Time.Advance(TimeSpan.FromSeconds(30));

        // Act
        var recorded = await _recorder.RecordAsync(CancellationToken.None);

        // Assert
        Assert.True(recorded);
        var expected = new PromotionRecord(SystemId, 2, 1, TestWorld.Start + TimeSpan.FromSeconds(30), "postgres_master:5432", PromotionRecord.ByCommand, "0/5000060");
        Assert.Equal(expected, PromotionRecord.Load(State));
        Assert.Contains("\"promoted_by\": \"pgstandby promote\"", File.ReadAllText(PromotionRecord.PathIn(State)), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(State, PromotionRequest.FileName)));
        Assert.True(_role.IsPrimary);
        Assert.Equal(expected, _role.Promotion);
        _node.Verify(n => n.ReloadAsync(It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task RecordAsync_PromotedWithoutRequest_RecordsByHand()
    {
        // Arrange: pg_promote() from psql, no pgstandby promote; the state folder does not exist yet
        _node.Setup(n => n.FactsAsync(It.IsAny<CancellationToken>())).ReturnsAsync(PromotedFacts);
        _world.Temp.WriteFile("data/pg_wal/00000002.history", Timeline2History);

        // Act
        var recorded = await _recorder.RecordAsync(CancellationToken.None);

        // Assert
        Assert.True(recorded);
        var record = PromotionRecord.Load(State);
        Assert.NotNull(record);
        Assert.Equal(PromotionRecord.ByHand, record.PromotedBy);
        Assert.Equal(1, record.PreviousTimeline);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(PromotionRecord.PathIn(State)));
    }

    [Fact]
    public async Task RecordAsync_RequestLeftByAnInterruptedPromoteLongAgo_ByHandAndTheLeftoverCleared()
    {
        // Arrange
        _node.Setup(n => n.FactsAsync(It.IsAny<CancellationToken>())).ReturnsAsync(PromotedFacts);
        Directory.CreateDirectory(State);
        PromotionRequest.Write(_folders, State, _world.Time.GetUtcNow());
        _world.Time.Advance(PromotionRequest.ValidFor + TimeSpan.FromMinutes(1));

        // Act
        await _recorder.RecordAsync(CancellationToken.None);

        // Assert
        Assert.Equal(PromotionRecord.ByHand, PromotionRecord.Load(State)?.PromotedBy);
        Assert.False(File.Exists(Path.Combine(State, PromotionRequest.FileName)));
    }

    [Fact]
    public async Task RecordAsync_Promoted_HealthSaysPrimaryWithTheRecord()
    {
        // Arrange
        _node.Setup(n => n.FactsAsync(It.IsAny<CancellationToken>())).ReturnsAsync(PromotedFacts);
        _world.Temp.WriteFile("data/pg_wal/00000002.history", Timeline2History);

        // Act
        await _recorder.RecordAsync(CancellationToken.None);

        // Assert
        Assert.Equal(StandbyState.Primary, _health.State);
        Assert.Equal(_role.Promotion, _health.Current.Promotion);
        Assert.Contains("this node is a primary: " + _role.Promotion!.Describe(), _health.Current.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("ANSWERS AS A PRIMARY AGAIN", _health.Current.Reason, StringComparison.Ordinal);
        Assert.True(HealthState.IsReady(_health.State));
        var status = StatusFile.Read(_world.Standby.RunDirectory);
        Assert.Equal("primary", status?.State);
        Assert.Equal(SystemId, status?.Promotion?.SystemId);
    }

    [Fact]
    public async Task RecordAsync_Promoted_RendersPostgresAsAPrimary()
    {
        // Arrange
        _node.Setup(n => n.FactsAsync(It.IsAny<CancellationToken>())).ReturnsAsync(PromotedFacts);

        // Act
        await _recorder.RecordAsync(CancellationToken.None);

        // Assert: postgres reads this on the reload; no standby.signal for its next start
        var effective = PostgresqlConfReader.Effective(File.ReadAllText(new RunFiles(_world.Standby).PostgresConf));
        Assert.Equal(string.Empty, effective["restore_command"]);
        Assert.Equal(string.Empty, effective["primary_conninfo"]);
        Assert.False(File.Exists(Path.Combine(Data, "standby.signal")));
    }

    [Fact]
    public async Task RecordAsync_NoHistoryFile_PreviousTimelineUnknown()
    {
        // Arrange
        _node.Setup(n => n.FactsAsync(It.IsAny<CancellationToken>())).ReturnsAsync(PromotedFacts);

        // Act
        await _recorder.RecordAsync(CancellationToken.None);

        // Assert
        Assert.Null(PromotionRecord.Load(State)?.PreviousTimeline);
    }

    [Fact]
    public async Task RecordAsync_SecondPromotion_PreviousTimelineIsTheLastSwitch()
    {
        // Arrange: timeline 3's history lists both of its ancestors, oldest first
        _node.Setup(n => n.FactsAsync(It.IsAny<CancellationToken>())).ReturnsAsync(PromotedFacts with { Timeline = 3 });
        _world.Temp.WriteFile("data/pg_wal/00000003.history", "1\t0/3000000\tno recovery target specified\n\n2\t0/7000000\tno recovery target specified\n");

        // Act
        await _recorder.RecordAsync(CancellationToken.None);

        // Assert
        var record = PromotionRecord.Load(State);
        Assert.Equal(3, record?.Timeline);
        Assert.Equal(2, record?.PreviousTimeline);
    }

    [Fact]
    public async Task RecordAsync_PostgresDoesNotAnswer_FalseAndRecordsNothing()
    {
        // Arrange
        _node.Setup(n => n.FactsAsync(It.IsAny<CancellationToken>())).ReturnsAsync((NodeFacts?)null);

        // Act
        var recorded = await _recorder.RecordAsync(CancellationToken.None);

        // Assert
        Assert.False(recorded);
        AssertNothingRecorded();
    }

    [Fact]
    public async Task RecordAsync_StillInRecovery_FalseAndRecordsNothing()
    {
        // Arrange: the sample saw it out of recovery, but a restart put it back (or the sample was wrong)
        _node.Setup(n => n.FactsAsync(It.IsAny<CancellationToken>())).ReturnsAsync(new NodeFacts(InRecovery: true, SystemId, null, "0/5000060", ReadOnly: true));

        // Act
        var recorded = await _recorder.RecordAsync(CancellationToken.None);

        // Assert
        Assert.False(recorded);
        AssertNothingRecorded();
    }

    [Fact]
    public async Task RecordAsync_AlreadyPrimary_TrueWithoutAskingPostgres()
    {
        // Arrange
        var earlier = new PromotionRecord(SystemId, 2, 1, TestWorld.Start, "postgres_master:5432", PromotionRecord.ByCommand, null);
        _role.BecomePrimary(earlier);

        // Act
        var recorded = await _recorder.RecordAsync(CancellationToken.None);

        // Assert
        Assert.True(recorded);
        Assert.Same(earlier, _role.Promotion);
        _node.Verify(n => n.FactsAsync(It.IsAny<CancellationToken>()), Times.Never);
        Assert.False(File.Exists(PromotionRecord.PathIn(State)));
    }

    [Fact]
    public async Task RecordFromControlAsync_InProduction_RecordsPgControlsSystemAndTimelineWithoutReload()
    {
        // Arrange: postgres exited after its promotion before the lag monitor's next sample
        var control = ControlData.Parse(ControlDataTests.RaisedSample.Replace("shut down", "in production", StringComparison.Ordinal)
            .Replace("Latest checkpoint's TimeLineID:       1", "Latest checkpoint's TimeLineID:       2", StringComparison.Ordinal))!;
        _world.Temp.WriteFile("data/pg_wal/00000002.history", Timeline2History);

        // Act
        await _recorder.RecordFromControlAsync(control, CancellationToken.None);

        // Assert
        var record = PromotionRecord.Load(State);
        Assert.Equal(new PromotionRecord(SystemId, 2, 1, TestWorld.Start, "postgres_master:5432", PromotionRecord.ByHand, null), record);
        Assert.True(_role.IsPrimary);
        Assert.Equal(StandbyState.Primary, _health.State);
        _node.Verify(n => n.ReloadAsync(It.IsAny<CancellationToken>()), Times.Never);
    }

    private void AssertNothingRecorded()
    {
        Assert.False(_role.IsPrimary);
        Assert.False(File.Exists(PromotionRecord.PathIn(State)));
        Assert.NotEqual(StandbyState.Primary, _health.State);
        Assert.Null(_health.Current.Promotion);
        _node.Verify(n => n.ReloadAsync(It.IsAny<CancellationToken>()), Times.Never);
    }
}
