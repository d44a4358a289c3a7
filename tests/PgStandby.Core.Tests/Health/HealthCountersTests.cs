using System.Text.Json;
using PgStandby.Core.Health;
using PgStandby.Core.Tests.TestSupport;
using PgStandby.Core.Diagnostics;

namespace PgStandby.Core.Tests.Health;

public sealed class HealthCountersTests : IDisposable
{
    private readonly TestWorld _world = new();

    public void Dispose() => _world.Dispose();

    [Fact]
    public void RestoreDuration_NoRestoreYet_IsNull()
    {
        // Arrange
        var health = _world.CreateHealth();

        // Act
        health.Set(StandbyState.StartingPostgres, "reusing PGDATA", "none: wait");

        // Assert
        Assert.Null(health.RestoreDuration);
        Assert.Null(health.Current.RestoreStartedAt);
        Assert.Null(health.Current.LastRestoreSeconds);
    }

    [Fact]
    public void RestoreDuration_WhileRestoring_GrowsFromTheFirstRestoringState()
    {
        // Arrange
        var health = _world.CreateHealth();
        health.Set(StandbyState.Restoring, "restoring backup A", "none: wait");
        _world.Time.Advance(TimeSpan.FromMinutes(2));

        // Act: a new reason in the same state does not restart the clock
        health.Set(StandbyState.Restoring, "restoring backup A, 40 %", "none: wait");
        _world.Time.Advance(TimeSpan.FromMinutes(1));

        // Assert
        Assert.Equal(TimeSpan.FromMinutes(3), health.RestoreDuration);
        Assert.Equal(TestWorld.Start, health.Current.RestoreStartedAt);
    }

    [Fact]
    public void RestoreDuration_AfterTheRestore_KeepsHowLongItTookAndPersistsIt()
    {
        // Arrange
        var health = _world.CreateHealth();
        health.Set(StandbyState.Restoring, "restoring backup A", "none: wait");
        _world.Time.Advance(TimeSpan.FromSeconds(90));

        // Act
        health.Set(StandbyState.StartingPostgres, "restored", "none: wait");
        _world.Time.Advance(TimeSpan.FromHours(1));

        // Assert
        Assert.Equal(TimeSpan.FromSeconds(90), health.RestoreDuration);
        using var document = JsonDocument.Parse(StatusFile.ReadRaw(_world.Standby.RunDirectory));
        Assert.Equal(90, document.RootElement.GetProperty("last_restore_seconds").GetDouble());
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("restore_started_at").ValueKind);
    }

    [Fact]
    public void RestoreDuration_RestoringThenResyncing_CountsAsOneRestore()
    {
        // Arrange
        var health = _world.CreateHealth();
        health.Set(StandbyState.Restoring, "restoring", "none: wait");
        _world.Time.Advance(TimeSpan.FromSeconds(10));

        // Act
        health.Set(StandbyState.Resyncing, "re-syncing", "none: wait");
        _world.Time.Advance(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(TimeSpan.FromSeconds(20), health.RestoreDuration);
    }

    [Fact]
    public void CountPostgresRestart_Twice_CountsAndPersistsBoth()
    {
        // Arrange
        var health = _world.CreateHealth();

        // Act
        health.CountPostgresRestart();
        health.CountPostgresRestart();

        // Assert
        Assert.Equal(2, health.PostgresRestarts);
        Assert.Equal(2, StatusFile.Read(_world.Standby.RunDirectory)!.PostgresRestarts);
    }

    [Fact]
    public void SetVersions_Persisted_ForPgstandbyStatus()
    {
        // Arrange
        var health = _world.CreateHealth();

        // Act
        health.SetVersions("2.45", "15.18");

        // Assert
        var status = StatusFile.Read(_world.Standby.RunDirectory)!;
        Assert.Equal("2.45", status.PgBackRestVersion);
        Assert.Equal("15.18", status.PostgresVersion);
    }
}
