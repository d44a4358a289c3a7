using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PgStandby.Core.Postgres;
using PgStandby.Core.Processes;
using PgStandby.Core.Rendering;
using PgStandby.Core.Tests.Postgres;
using PgStandby.Core.Tests.TestSupport;
using PgStandby.Core.Configuration;

namespace PgStandby.Core.Tests.Rendering;

/// <summary>PGDATA prepared for a promoted node: a primary that never reads the old primary's archive nor streams from it.</summary>
public sealed class ConfigRendererPrimaryTests : IDisposable
{
    private static readonly PromotionRecord Promotion = new(
        7712786763852387577, 2, 1, TestWorld.Start, "postgres_master:5432", PromotionRecord.ByCommand, "0/5000060");

    private readonly TestWorld _world = new();
    private readonly NodeRole _role = new();
    private readonly ConfigRenderer _renderer;
    private readonly RunFiles _files;
    private readonly string _signal;

    public ConfigRendererPrimaryTests()
    {
        _renderer = new ConfigRenderer(
            Options.Create(_world.Repository),
            Options.Create(_world.Replication),
            Options.Create(_world.Standby),
            new FolderPreparer(NullLogger<FolderPreparer>.Instance),
            _role,
            NullLogger<ConfigRenderer>.Instance);
        _files = new RunFiles(_world.Standby);
        _signal = Path.Combine(_world.Standby.DataDirectory, "standby.signal");
        Directory.CreateDirectory(_world.Standby.DataDirectory);
        Directory.CreateDirectory(_world.Standby.RunDirectory);
    }

    public void Dispose() => _world.Dispose();

    [Fact]
    public void PrepareDataDirectory_Primary_NoStandbySignal()
    {
        // Arrange
        _role.BecomePrimary(Promotion);

        // Act
        _renderer.PrepareDataDirectory(ControlData.Parse(ControlDataTests.RaisedSample));

        // Assert
        Assert.False(File.Exists(_signal));
    }

    [Fact]
    public void PrepareDataDirectory_Primary_EmptyRestoreCommandAndPrimaryConnInfo()
    {
        // Arrange
        _role.BecomePrimary(Promotion);

        // Act
        _renderer.PrepareDataDirectory(ControlData.Parse(ControlDataTests.RaisedSample));

        // Assert: empty, not absent, so that no value from another file comes back
        var text = File.ReadAllText(_files.PostgresConf);
        Assert.Contains("restore_command = ''\n", text, StringComparison.Ordinal);
        Assert.Contains("primary_conninfo = ''\n", text, StringComparison.Ordinal);
        var effective = PostgresqlConfReader.Effective(text);
        Assert.Equal(string.Empty, effective["restore_command"]);
        Assert.Equal(string.Empty, effective["primary_conninfo"]);
        Assert.DoesNotContain("pgbackrest", text, StringComparison.Ordinal);
        Assert.DoesNotContain(_files.Passfile, text, StringComparison.Ordinal);
        Assert.Equal("250", effective["max_connections"]);
    }

    [Fact]
    public void PrepareDataDirectory_PrimaryWithBackupsAutoConf_OldPrimarysRestoreCommandRemoved()
    {
        // Arrange: what pgBackRest's restore left in postgresql.auto.conf, which postgres reads last
        _world.Temp.WriteFile("data/postgresql.auto.conf", "restore_command = 'pgbackrest --stanza=psql archive-get %f \"%p\"'\nwork_mem = '64MB'\n");
        _role.BecomePrimary(Promotion);

        // Act
        _renderer.PrepareDataDirectory(null);

        // Assert
        Assert.Equal("work_mem = '64MB'\n", File.ReadAllText(Path.Combine(_world.Standby.DataDirectory, "postgresql.auto.conf")));
    }

    [Fact]
    public void PrepareDataDirectory_Standby_StandbySignalAndRestoreCommand()
    {
        // Act
        _renderer.PrepareDataDirectory(ControlData.Parse(ControlDataTests.RaisedSample));

        // Assert
        Assert.True(File.Exists(_signal));
        var effective = PostgresqlConfReader.Effective(File.ReadAllText(_files.PostgresConf));
        Assert.Contains("archive-get", effective["restore_command"], StringComparison.Ordinal);
        Assert.Contains("--stanza=" + _world.Repository.Stanza, effective["restore_command"], StringComparison.Ordinal);
        Assert.Contains("host=" + _world.Replication.PrimaryHost, effective["primary_conninfo"], StringComparison.Ordinal);
    }

    [Fact]
    public void PrepareDataDirectory_PromotedBetweenTwoStarts_SecondRenderingIsAPrimarys()
    {
        // Arrange: rendered as a standby, then postgres removed standby.signal when it was promoted
        _renderer.PrepareDataDirectory(null);
        File.Delete(_signal);
        _role.BecomePrimary(Promotion);

        // Act
        _renderer.PrepareDataDirectory(null);

        // Assert
        Assert.False(File.Exists(_signal));
        Assert.Equal(string.Empty, PostgresqlConfReader.Effective(File.ReadAllText(_files.PostgresConf))["restore_command"]);
    }
}
