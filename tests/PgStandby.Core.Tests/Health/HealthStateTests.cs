using System.Text.Json;
using PgStandby.Core.Health;
using PgStandby.Core.Replication;
using PgStandby.Core.Tests.TestSupport;
using PgStandby.Core.Diagnostics;

namespace PgStandby.Core.Tests.Health;

public sealed class HealthStateTests : IDisposable
{
    private readonly TestWorld _world = new();

    public void Dispose() => _world.Dispose();

    [Fact]
    public void Constructor_NoChangeYet_StartsInStartingWithoutWritingFile()
    {
        // Act
        var health = _world.CreateHealth();

        // Assert
        Assert.Equal(StandbyState.Starting, health.State);
        Assert.Equal(TestWorld.Start, health.Current.Since);
        Assert.Equal(Environment.ProcessId, health.Current.Pid);
        Assert.False(File.Exists(StatusFile.PathIn(_world.Standby.RunDirectory)));
    }

    [Fact]
    public void Set_NewState_PersistsStatusJsonWithSnakeCaseFields()
    {
        // Arrange
        var health = _world.CreateHealth();
        _world.Time.Advance(TimeSpan.FromSeconds(3));

        // Act
        health.Set(StandbyState.WaitingForPrimary, "cannot reach primary.example:22", "check BACKREST_PRIMARY_HOST");

        // Assert
        using var document = JsonDocument.Parse(StatusFile.ReadRaw(_world.Standby.RunDirectory));
        var root = document.RootElement;
        Assert.Equal("waiting_for_primary", root.GetProperty("state").GetString());
        Assert.Equal(TestWorld.Start.AddSeconds(3), root.GetProperty("since").GetDateTimeOffset());
        Assert.Equal("cannot reach primary.example:22", root.GetProperty("reason").GetString());
        Assert.Equal("check BACKREST_PRIMARY_HOST", root.GetProperty("next_step").GetString());
        Assert.True(root.GetProperty("healthy").GetBoolean());
        Assert.False(root.GetProperty("ready").GetBoolean());
        Assert.Equal("primary.example", root.GetProperty("primary_host").GetString());
        Assert.Equal(Environment.ProcessId, root.GetProperty("pid").GetInt32());
    }

    [Fact]
    public void Set_SameStateNewReason_KeepsSinceAndUpdatesReason()
    {
        // Arrange
        var health = _world.CreateHealth();
        health.Set(StandbyState.WaitingForPrimary, "first reason", "first step");
        var since = health.Current.Since;
        _world.Time.Advance(TimeSpan.FromMinutes(2));

        // Act
        health.Set(StandbyState.WaitingForPrimary, "second reason", "second step");

        // Assert
        var status = StatusFile.Read(_world.Standby.RunDirectory)!;
        Assert.Equal(since, status.Since);
        Assert.Equal("second reason", status.Reason);
        Assert.Equal("second step", status.NextStep);
        Assert.Equal(TestWorld.Start.AddMinutes(2), status.UpdatedAt);
    }

    [Fact]
    public void Set_OtherState_MovesSince()
    {
        // Arrange
        var health = _world.CreateHealth();
        health.Set(StandbyState.Restoring, "restoring", "wait");
        _world.Time.Advance(TimeSpan.FromMinutes(10));

        // Act
        health.Set(StandbyState.Streaming, "streaming from primary", "none");

        // Assert
        var status = StatusFile.Read(_world.Standby.RunDirectory)!;
        Assert.Equal("streaming", status.State);
        Assert.Equal(TestWorld.Start.AddMinutes(10), status.Since);
        Assert.True(status.Healthy);
    }

    [Fact]
    public void Set_SameStateAndReason_DoesNotRewriteFile()
    {
        // Arrange
        var health = _world.CreateHealth();
        health.Set(StandbyState.WaitingForBackup, "no backup", "take one");
        var before = StatusFile.ReadRaw(_world.Standby.RunDirectory);
        _world.Time.Advance(TimeSpan.FromSeconds(30));

        // Act
        health.Set(StandbyState.WaitingForBackup, "no backup", "take one, again");

        // Assert
        Assert.Equal(before, StatusFile.ReadRaw(_world.Standby.RunDirectory));
    }

    [Theory]
    [InlineData(StandbyState.Streaming, true)]
    [InlineData(StandbyState.CatchingUpFromArchive, true)]
    [InlineData(StandbyState.Starting, true)]
    [InlineData(StandbyState.WaitingForKeyAuthorization, true)]
    [InlineData(StandbyState.WaitingForPrimary, true)]
    [InlineData(StandbyState.WaitingForBackup, true)]
    [InlineData(StandbyState.Restoring, true)]
    [InlineData(StandbyState.StartingPostgres, true)]
    [InlineData(StandbyState.Lagging, true)]
    [InlineData(StandbyState.Stalled, true)]
    [InlineData(StandbyState.DiskFull, true)]
    [InlineData(StandbyState.Primary, true)]
    [InlineData(StandbyState.Stopping, true)]
    [InlineData(StandbyState.Refused, false)]
    [InlineData(StandbyState.Failing, false)]
    public void IsHealthy_State_FalseOnlyWhereARestartCouldHelp(StandbyState state, bool expected)
    {
        // Act
        var healthy = HealthState.IsHealthy(state);

        // Assert
        Assert.Equal(expected, healthy);
    }

    [Fact]
    public void SetPublicKey_Key_PersistedUntilCleared()
    {
        // Arrange
        var health = _world.CreateHealth();

        // Act
        health.SetPublicKey(SampleKeys.Ed25519PublicKeyLine);
        var withKey = StatusFile.Read(_world.Standby.RunDirectory)!.PublicKey;
        health.SetPublicKey(null);
        var cleared = StatusFile.Read(_world.Standby.RunDirectory)!.PublicKey;

        // Assert
        Assert.Equal(SampleKeys.Ed25519PublicKeyLine, withKey);
        Assert.Null(cleared);
    }

    [Fact]
    public void Record_Sample_PersistsLagFigures()
    {
        // Arrange
        var health = _world.CreateHealth();
        var sample = new ReplicationSample(true, "0/3000060", "0/3000000", 96, 1.5, "streaming", "10.0.0.5", true);

        // Act
        health.Record(sample);

        // Assert
        var status = StatusFile.Read(_world.Standby.RunDirectory)!;
        Assert.Equal(96, status.LagBytes);
        Assert.Equal(1.5, status.LagSeconds);
        Assert.Equal("0/3000060", status.ReceivedLsn);
        Assert.Equal("0/3000000", status.ReplayedLsn);
        Assert.Equal("streaming", status.WalReceiver);
    }

    [Fact]
    public void SetRestorePercent_LeavingRestore_ClearsIt()
    {
        // Arrange
        var health = _world.CreateHealth();
        health.Set(StandbyState.Restoring, "restoring", "wait");
        health.SetRestorePercent(42.5);
        var during = StatusFile.Read(_world.Standby.RunDirectory)!.RestorePercent;

        // Act
        health.Set(StandbyState.StartingPostgres, "starting postgres", "wait");

        // Assert
        Assert.Equal(42.5, during);
        Assert.Null(StatusFile.Read(_world.Standby.RunDirectory)!.RestorePercent);
    }

    [Fact]
    public void Set_RunDirectoryUnwritable_KeepsStateInMemory()
    {
        // Arrange
        _world.Temp.WriteFile("run", "a file where the run folder should be");
        var health = _world.CreateHealth();

        // Act
        health.Set(StandbyState.Failing, "cannot write", "fix the run folder");

        // Assert
        Assert.Equal(StandbyState.Failing, health.State);
        Assert.Equal("cannot write", health.Current.Reason);
    }
}
