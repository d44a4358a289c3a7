using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PgStandby.Core.Health;
using PgStandby.Core.Tests.TestSupport;
using PgStandby.Core.Diagnostics;

namespace PgStandby.Core.Tests.Health;

/// <summary>The time-dependent part of the worker's verdict: restore progress, ready, stale_after.</summary>
public sealed class HealthVerdictTests : IDisposable
{
    private readonly TestWorld _world = new();
    private readonly HealthState _health;

    public HealthVerdictTests()
    {
        _world.Supervision.StallTimeout = TimeSpan.FromMinutes(5);
        _world.Supervision.MonitorInterval = TimeSpan.FromSeconds(5);
        _health = new HealthState(Options.Create(_world.Standby), Options.Create(_world.Repository), Options.Create(_world.Supervision), _world.Time, NullLogger<HealthState>.Instance);
    }

    public void Dispose() => _world.Dispose();

    [Fact]
    public void Heartbeat_RestoringWithoutProgressPastStallTimeout_Unhealthy()
    {
        // Arrange
        _health.Set(StandbyState.Restoring, "restoring", "wait");
        _world.Time.Advance(TimeSpan.FromMinutes(4));
        _health.Heartbeat();
        var before = Status().Healthy;

        // Act
        _world.Time.Advance(TimeSpan.FromMinutes(1));
        _health.Heartbeat();

        // Assert
        Assert.True(before);
        Assert.False(Status().Healthy);
    }

    [Fact]
    public void Heartbeat_RestoringThatKeepsMoving_HealthyForHours()
    {
        // Arrange
        _health.Set(StandbyState.Restoring, "restoring", "wait");

        // Act
        for (var minute = 1; minute <= 180; minute++)
        {
            _world.Time.Advance(TimeSpan.FromMinutes(1));
            _health.ReportRestoreProgress(minute / 2.0, minute * 1000L, 360_000);
        }

        _health.Heartbeat();

        // Assert
        var status = Status();
        Assert.True(status.Healthy);
        Assert.False(status.Ready);
        Assert.Equal(90.0, status.RestorePercent);
        Assert.Equal(180_000, status.RestoreBytesDone);
        Assert.Equal(360_000, status.RestoreBytesTotal);
    }

    [Fact]
    public void ReportRestoreActivity_NoFileFinishedButPgdataGrows_StaysHealthyPastStallTimeout()
    {
        // Arrange
        _health.Set(StandbyState.Restoring, "restoring", "wait");
        _health.ReportRestoreProgress(5, 100, 1000);

        // Act: a large file in flight for 20 minutes, PGDATA growing all along
        for (var minute = 1; minute <= 20; minute++)
        {
            _world.Time.Advance(TimeSpan.FromMinutes(1));
            _health.ReportRestoreActivity();
        }

        // Assert
        var status = Status();
        Assert.True(status.Healthy);
        Assert.Equal(5, status.RestorePercent);
    }

    [Fact]
    public void ReportRestoreProgress_SameFigures_DoesNotCountAsProgress()
    {
        // Arrange
        _health.Set(StandbyState.Resyncing, "re-syncing", "wait");
        _health.ReportRestoreProgress(10, 100, 1000);

        // Act
        _world.Time.Advance(TimeSpan.FromMinutes(6));
        _health.ReportRestoreProgress(10, 100, 1000);

        // Assert
        Assert.False(Status().Healthy);
    }

    [Fact]
    public void Set_LeavingRestoring_ClearsRestoreFigures()
    {
        // Arrange
        _health.Set(StandbyState.Restoring, "restoring", "wait");
        _health.ReportRestoreProgress(50, 500, 1000);

        // Act
        _health.Set(StandbyState.StartingPostgres, "starting postgres", "wait");

        // Assert
        var status = Status();
        Assert.Null(status.RestorePercent);
        Assert.Null(status.RestoreBytesDone);
        Assert.Null(status.RestoreBytesTotal);
    }

    [Theory]
    [InlineData(StandbyState.Streaming, true, true)]
    [InlineData(StandbyState.CatchingUpFromArchive, true, false)]
    [InlineData(StandbyState.Lagging, true, false)]
    [InlineData(StandbyState.Stalled, true, false)]
    [InlineData(StandbyState.WaitingForPrimary, true, false)]
    [InlineData(StandbyState.DiskFull, true, false)]
    [InlineData(StandbyState.Primary, true, true)]
    [InlineData(StandbyState.Failing, false, false)]
    public void Set_State_WritesHealthyAndReady(StandbyState state, bool healthy, bool ready)
    {
        // Act
        _health.Set(state, "why", "what");

        // Assert
        var status = Status();
        Assert.Equal(healthy, status.Healthy);
        Assert.Equal(ready, status.Ready);
    }

    [Fact]
    public void Heartbeat_Always_MovesUpdatedAtAndStaleAfter()
    {
        // Arrange
        _health.Set(StandbyState.WaitingForBackup, "no backup", "take one");

        // Act
        _world.Time.Advance(TimeSpan.FromSeconds(5));
        _health.Heartbeat();

        // Assert
        var status = Status();
        Assert.Equal(TestWorld.Start.AddSeconds(5), status.UpdatedAt);
        Assert.Equal(TestWorld.Start.AddSeconds(5 + 15 + 10), status.StaleAfter);
    }

    private StatusSnapshot Status() => StatusFile.Read(_world.Standby.RunDirectory)!;
}
