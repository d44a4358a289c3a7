using Moq;
using PgStandby.Core.Health;
using PgStandby.Core.Postgres;
using PgStandby.Core.Processes;
using PgStandby.Core.Promotion;
using PgStandby.Core.Replication;
using PgStandby.Core.Tests.Rendering;
using PgStandby.Core.Tests.TestSupport;
using PgStandby.Core.Configuration;
using PgStandby.Core.Supervision;
using PgStandby.Core.Tests.Postgres;

namespace PgStandby.Core.Tests.Supervision;

/// <summary>The supervisor before each start: a PGDATA promoted while supervised is recorded and started as a primary.</summary>
public sealed class PostgresSupervisorPromotionTests : IDisposable
{
    private static readonly PromotionRecord Promotion = new(
        7712786763852387577, 2, 1, TestWorld.Start, "postgres_master:5432", PromotionRecord.ByHand, null);

    private readonly TestWorld _world = new();
    private readonly Mock<ICommandRunner> _commands = new(MockBehavior.Strict);
    private readonly Mock<IStandbyQueries> _queries = new(MockBehavior.Strict);
    private readonly Mock<IPromotionRecorder> _promotions = new(MockBehavior.Strict);
    private readonly NodeRole _role = new();
    private readonly HealthState _health;
    private readonly PostgresSupervisor _supervisor;
    private readonly List<string> _events = [];
    private string? _startingReason;

    public PostgresSupervisorPromotionTests()
    {
        Directory.CreateDirectory(_world.Standby.RunDirectory);
        _health = _world.CreateHealth();
        _supervisor = SupervisorFactory.Create(_world, _health, _commands.Object, _queries.Object, role: _role, promotions: _promotions.Object);

        // PGDATA as a promotion leaves it: postgres removed standby.signal.
        File.Delete(StandbySignal);
        _queries.Setup(q => q.IsAcceptingConnectionsAsync(It.IsAny<CancellationToken>())).ReturnsAsync(true);
        _commands.Setup(c => c.RunAsync(It.Is<CommandSpec>(spec => spec.FileName == "pgbackrest" && spec.Arguments.Contains("archive-get")), It.IsAny<CancellationToken>()))
            .Callback(() => Record("archive-get"))
            .ReturnsAsync(new CommandResult(1, string.Empty, "unable to find 000000010000000000000000 in the archive"));
        _commands.Setup(c => c.RunStreamingAsync(It.IsAny<CommandSpec>(), It.IsAny<Action<string>>(), It.IsAny<CancellationToken>(), It.IsAny<CancellationToken>()))
            .Returns<CommandSpec, Action<string>, CancellationToken, CancellationToken>(async (spec, _, _, graceful) =>
            {
                _startingReason = _health.Current.Reason;
                Record("postgres");
                File.WriteAllLines(Path.Combine(spec.Arguments[1], "postmaster.pid"), ["4242", spec.Arguments[1], "0", "5432", "/run/postgresql", "*", "0 0", "ready"]);
                await Task.Delay(Timeout.Infinite, graceful).ContinueWith(_ => { }, TaskScheduler.Default);
                return 0;
            });
    }

    private string StandbySignal => Path.Combine(_world.Standby.DataDirectory, "standby.signal");

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task SuperviseAsync_NoStandbySignalAndInProduction_RecordsThePromotionBeforePostgresStarts()
    {
        // Arrange: promoted while supervised; postgres exited before the lag monitor's next sample saw it
        ControlDataSays("in production");
        _promotions.Setup(p => p.RecordFromControlAsync(It.IsAny<ControlData>(), It.IsAny<CancellationToken>()))
            .Callback<ControlData, CancellationToken>((control, _) =>
            {
                Record("recorded " + control.ClusterState);
                _role.BecomePrimary(Promotion with { SystemId = control.SystemId });
            })
            .Returns(Task.CompletedTask);

        // Act
        await SuperviseUntilReadyThenStopAsync();

        // Assert: recorded first, then postgres started as a primary: no standby.signal, nothing fetched from the old primary's archive
        Assert.Equal(["recorded in production", "postgres"], Events());
        _promotions.Verify(p => p.RecordFromControlAsync(It.Is<ControlData>(c => c.SystemId == 7712786763852387577), It.IsAny<CancellationToken>()), Times.Once);
        Assert.False(File.Exists(StandbySignal));
        Assert.Equal($"starting postgres as a primary on {_world.Standby.DataDirectory}", _startingReason);
        var effective = PostgresqlConfReader.Effective(File.ReadAllText(new RunFiles(_world.Standby).PostgresConf));
        Assert.Equal(string.Empty, effective["restore_command"]);
    }

    [Theory]
    [InlineData("in production")]
    [InlineData("shut down")]
    public async Task SuperviseAsync_StandbySignalPresent_NotRecorded(string clusterState)
    {
        // Arrange
        ControlDataSays(clusterState);
        File.WriteAllText(StandbySignal, string.Empty);

        // Act
        await SuperviseUntilReadyThenStopAsync();

        // Assert: the strict recorder was not called; a standby fetches from the archive
        _promotions.Verify(p => p.RecordFromControlAsync(It.IsAny<ControlData>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Equal(["archive-get", "postgres"], Events().Order(StringComparer.Ordinal));
        Assert.Equal($"starting postgres on {_world.Standby.DataDirectory}", _startingReason);
    }

    [Theory]
    [InlineData("in archive recovery")]
    [InlineData("shut down in recovery")]
    public async Task SuperviseAsync_NoStandbySignalButInRecovery_NotRecordedAndAStandbyAgain(string clusterState)
    {
        // Arrange
        ControlDataSays(clusterState);

        // Act
        await SuperviseUntilReadyThenStopAsync();

        // Assert
        _promotions.Verify(p => p.RecordFromControlAsync(It.IsAny<ControlData>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.True(File.Exists(StandbySignal));
        Assert.False(_role.IsPrimary);
    }

    [Fact]
    public async Task SuperviseAsync_AlreadyPrimary_NotRecordedAgainAndNoArchiveGet()
    {
        // Arrange: the restore stage found the promotion record (StartAsPrimary)
        ControlDataSays("shut down");
        _role.BecomePrimary(Promotion);

        // Act
        await SuperviseUntilReadyThenStopAsync();

        // Assert
        _promotions.Verify(p => p.RecordFromControlAsync(It.IsAny<ControlData>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Equal(["postgres"], Events());
        Assert.False(File.Exists(StandbySignal));
    }

    private void ControlDataSays(string clusterState) =>
        _commands.Setup(c => c.RunAsync(It.Is<CommandSpec>(spec => spec.FileName.EndsWith("pg_controldata", StringComparison.Ordinal)), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new CommandResult(0, ControlDataTests.RaisedSample.Replace("Database cluster state:               shut down", "Database cluster state:               " + clusterState, StringComparison.Ordinal), string.Empty));

    private void Record(string what)
    {
        lock (_events)
        {
            _events.Add(what);
        }
    }

    private List<string> Events()
    {
        lock (_events)
        {
            return [.. _events];
        }
    }

    private async Task SuperviseUntilReadyThenStopAsync()
    {
        using var stopping = new CancellationTokenSource();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var supervising = _supervisor.SuperviseAsync(() => ready.TrySetResult(), stopping.Token);
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await stopping.CancelAsync();
        await supervising.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
