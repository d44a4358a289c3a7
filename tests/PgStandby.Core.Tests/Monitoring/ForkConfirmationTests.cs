using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using PgStandby.Core.Postgres;
using PgStandby.Core.Processes;
using PgStandby.Core.Replication;
using PgStandby.Core.Restore;
using PgStandby.Core.Tests.Postgres;
using PgStandby.Core.Tests.TestSupport;
using PgStandby.Core.Timelines;
using PgStandby.Core.Monitoring;
using PgStandby.Core.Tests.Timelines;

namespace PgStandby.Core.Tests.Monitoring;

public sealed class ForkConfirmationTests : IDisposable
{
    private readonly TestWorld _world = new();
    private readonly Mock<ICommandRunner> _commands = new(MockBehavior.Strict);
    private readonly Mock<IStandbyQueries> _queries = new(MockBehavior.Strict);
    private readonly ForkConfirmation _forks;

    public ForkConfirmationTests()
    {
        _forks = new ForkConfirmation(
            new PostgresTools(_commands.Object, Options.Create(_world.Standby)),
            _queries.Object,
            _commands.Object,
            Options.Create(_world.Repository),
            Options.Create(_world.Standby),
            new ResyncSignal(),
            _world.Time,
            NullLogger<ForkConfirmation>.Instance);
    }

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task JudgeAsync_StandbyStoppedPastTheSwitchPoint_ForkedFromPgControlAlone()
    {
        // Arrange: postgres refused to start (pg_control: checkpoint 0/15007B8 on timeline 1), so no replay position.
        ControlData(ControlDataTests.RaisedSample);
        _queries.Setup(q => q.ReplayPositionAsync(It.IsAny<CancellationToken>())).ReturnsAsync((StandbyPosition?)null);
        _queries.Setup(q => q.PrimaryTimelineAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(Primary(2, [new TimelineSwitch(1, 0x1500000)]));

        // Act
        var verdict = await _forks.JudgeAsync(CancellationToken.None);

        // Assert
        Assert.True(verdict.Forked, verdict.Why);
        Assert.Equal("the primary's timeline 2 left timeline 1 at 0/1500000, before the standby's position 0/15007B8", verdict.Why);
    }

    [Fact]
    public async Task JudgeAsync_ReplayPositionNewerThanPgControl_JudgedOnTheReplayPosition()
    {
        // Arrange: pg_control's restartpoint is before the switch point; replay is past it.
        ControlData(ControlDataTests.RaisedSample);
        _queries.Setup(q => q.ReplayPositionAsync(It.IsAny<CancellationToken>())).ReturnsAsync(new StandbyPosition(0x3000000, 1));
        _queries.Setup(q => q.PrimaryTimelineAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(Primary(2, [new TimelineSwitch(1, 0x2000000)]));

        // Act
        var verdict = await _forks.JudgeAsync(CancellationToken.None);

        // Assert
        Assert.True(verdict.Forked, verdict.Why);
    }

    [Fact]
    public async Task JudgeAsync_PrimaryOnTheStandbysTimeline_NotForked()
    {
        // Arrange: whatever postgres's log said, the primary's own history shows no fork.
        ControlData(ControlDataTests.RaisedSample);
        _queries.Setup(q => q.ReplayPositionAsync(It.IsAny<CancellationToken>())).ReturnsAsync(new StandbyPosition(0x3000000, 1));
        _queries.Setup(q => q.PrimaryTimelineAsync(It.IsAny<CancellationToken>())).ReturnsAsync(new PrimaryTimeline(1, null));

        // Act
        var verdict = await _forks.JudgeAsync(CancellationToken.None);

        // Assert
        Assert.False(verdict.Forked);
    }

    [Fact]
    public async Task JudgeAsync_PrimaryUnreachable_NotConfirmedWithTheReason()
    {
        // Arrange
        _queries.Setup(q => q.PrimaryTimelineAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(new PrimaryTimeline(null, "cannot connect to primary:5432: Connection refused"));

        // Act
        var verdict = await _forks.JudgeAsync(CancellationToken.None);

        // Assert
        Assert.False(verdict.Forked);
        Assert.Equal("the primary's timeline cannot be read: cannot connect to primary:5432: Connection refused", verdict.Why);
    }

    /// <summary>The primary is on <paramref name="timeline"/>, whose history file in the archive lists <paramref name="history"/>.</summary>
    private PrimaryTimeline Primary(int timeline, TimelineSwitch[] history)
    {
        ArchivedHistory.Setup(_commands, history);
        return new PrimaryTimeline(timeline, null);
    }

    [Fact]
    public async Task JudgeAsync_HistoryNotInTheArchive_NotConfirmed()
    {
        // Arrange
        _queries.Setup(q => q.PrimaryTimelineAsync(It.IsAny<CancellationToken>())).ReturnsAsync(new PrimaryTimeline(2, null));
        _commands.Setup(c => c.RunAsync(It.Is<CommandSpec>(spec => spec.FileName == "pgbackrest"), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new CommandResult(1, string.Empty, "unable to find 00000002.history in the archive"));

        // Act
        var verdict = await _forks.JudgeAsync(CancellationToken.None);

        // Assert
        Assert.False(verdict.Forked);
        Assert.Equal("the history of the primary's timeline 2 is not in the archive", verdict.Why);
    }

    private void ControlData(string output) =>
        _commands.Setup(c => c.RunAsync(It.Is<CommandSpec>(spec => spec.FileName.EndsWith("pg_controldata", StringComparison.Ordinal)), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new CommandResult(0, output, string.Empty));
}
