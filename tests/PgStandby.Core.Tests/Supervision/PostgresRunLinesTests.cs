using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Gaps;
using PgStandby.Core.Health;
using PgStandby.Core.Monitoring;
using PgStandby.Core.Postgres;
using PgStandby.Core.Processes;
using PgStandby.Core.Replication;
using PgStandby.Core.Restore;
using PgStandby.Core.Supervision;
using PgStandby.Core.Tests.TestSupport;

namespace PgStandby.Core.Tests.Supervision;

public sealed class PostgresRunLinesTests : IDisposable
{
    private readonly TestWorld _world = new();
    private readonly HealthState _health;
    private readonly StreamingStarted _streaming = new();
    private readonly RefusedSegments _refused = new();

    public PostgresRunLinesTests() => _health = _world.CreateHealth();

    public void Dispose() => _world.Dispose();

    [Fact]
    public void BeginRun_ForgetsTheLastRunsLines()
    {
        // Arrange
        var lines = Create();
        lines.Observe(Line("checkpointer", "PANIC:  could not write to file \"pg_wal/x\": No space left on device"));
        lines.Observe(Line("startup", "FATAL:  recovery aborted because of insufficient parameter settings"));
        lines.Observe(Line("startup", "LOG:  waiting for WAL to become available at 0/5000018"));

        // Act
        lines.BeginRun();

        // Assert
        Assert.False(lines.DiskFull);
        Assert.False(lines.SettingsRestart.IsCompleted);
        Assert.Null(lines.WaitingAt);
        Assert.DoesNotContain("No space left", lines.Tail, StringComparison.Ordinal);
    }

    [Fact]
    public void Observe_NoSpaceLeftBeforeReady_DiskFullState()
    {
        // Arrange
        var lines = Create();

        // Act
        lines.Observe(Line("startup", "FATAL:  could not write to file \"pg_wal/x\": No space left on device"));

        // Assert
        Assert.True(lines.DiskFull);
        Assert.Equal(StandbyState.DiskFull, _health.State);
    }

    [Fact]
    public void Observe_NoSpaceLeftOnceReady_RememberedButStateLeftToTheLagMonitor()
    {
        // Arrange
        var lines = Create();
        lines.Ready = true;
        var before = _health.State;

        // Act
        lines.Observe(Line("walreceiver", "FATAL:  could not write to file \"pg_wal/x\": No space left on device"));

        // Assert
        Assert.True(lines.DiskFull);
        Assert.Equal(before, _health.State);
    }

    [Fact]
    public void Observe_RestoreCommandCannotWrite_DiskFullOnlyWhenLessThanASegmentIsFree()
    {
        // Arrange
        long free = PostgresLineKinds.WalSegmentBytes;
        var lines = Create(_ => free);
        var line = "ERROR: [064]: unable to write '" + _world.Standby.DataDirectory + "/pg_wal/RECOVERYXLOG'";
        var before = _health.State;

        // Act
        lines.Observe(line);
        var withRoom = _health.State;
        free = PostgresLineKinds.WalSegmentBytes - 1;
        lines.Observe(line);

        // Assert
        Assert.Equal(before, withRoom);
        Assert.Equal(StandbyState.DiskFull, _health.State);
    }

    [Fact]
    public void Observe_StreamingAndRefusedSegment_Raised()
    {
        // Arrange
        var lines = Create();

        // Act
        lines.Observe(Line("walreceiver", "LOG:  started streaming WAL from primary at 0/3000000 on timeline 1"));
        lines.Observe(Line("walreceiver", "FATAL:  could not receive data from WAL stream: ERROR:  requested WAL segment 00000001000000000000000A has already been removed"));

        // Assert
        Assert.True(_streaming.Next.IsCompleted);
        Assert.NotNull(_refused.Since(DateTimeOffset.MinValue));
    }

    private PostgresRunLines Create(Func<string, long?>? freeBytesOf = null)
    {
        var commands = new Mock<ICommandRunner>(MockBehavior.Strict).Object;
        var queries = new Mock<IStandbyQueries>(MockBehavior.Strict).Object;
        var tools = new PostgresTools(commands, Options.Create(_world.Standby));
        var forks = new ForkConfirmation(tools, queries, commands, Options.Create(_world.Repository), Options.Create(_world.Standby), new ResyncSignal(), _world.Time, NullLogger<ForkConfirmation>.Instance);
        return new PostgresRunLines(_streaming, _refused, forks, _health, Options.Create(_world.Standby), _world.Time)
        {
            FreeBytesOf = freeBytesOf ?? (_ => null),
        };
    }

    private static string Line(string backendType, string severityAndMessage) =>
        $"2026-03-01 12:00:02.000 GMT [4250] {backendType}: {severityAndMessage}";
}
