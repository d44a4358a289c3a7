using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Postgres;
using PgStandby.Core.Processes;
using PgStandby.Core.Rendering;
using PgStandby.Core.Tests.Postgres;
using PgStandby.Core.Tests.TestSupport;

namespace PgStandby.Core.Tests.Rendering;

public sealed class ConfigRendererTests : IDisposable
{
    private readonly TestWorld _world = new();
    private readonly NodeRole _role = new();
    private readonly ConfigRenderer _renderer;
    private readonly RunFiles _files;

    public ConfigRendererTests()
    {
        _renderer = new ConfigRenderer(
            Options.Create(_world.Repository),
            Options.Create(_world.Replication),
            Options.Create(_world.Standby),
            new FolderPreparer(NullLogger<FolderPreparer>.Instance),
            _role,
            NullLogger<ConfigRenderer>.Instance);
        _files = new RunFiles(_world.Standby);
    }

    public void Dispose() => _world.Dispose();

    [Fact]
    public void RenderAll_TempFolders_WritesEveryFileOutsideDataDirectory()
    {
        // Act
        _renderer.RenderAll();

        // Assert
        Assert.True(File.Exists(_world.Standby.PgBackRestConfig));
        Assert.True(File.Exists(_files.PostgresConf));
        Assert.True(File.Exists(_files.Passfile));
        Assert.True(File.Exists(_files.SshConfig));
        Assert.True(File.Exists(_files.SshWrapper));
        Assert.False(Directory.Exists(_world.Standby.DataDirectory));
        Assert.Empty(Directory.EnumerateFiles(_world.Standby.RunDirectory, "*.tmp"));
    }

    [Fact]
    public void RenderAll_Password_OnlyInPassfileWithOwnerOnlyMode()
    {
        // Act
        _renderer.RenderAll();

        // Assert
        Assert.Contains(_world.Replication.Password, File.ReadAllText(_files.Passfile), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_files.Passfile));
        Assert.DoesNotContain(_world.Replication.Password, File.ReadAllText(_files.PostgresConf), StringComparison.Ordinal);
        Assert.DoesNotContain(_world.Replication.Password, File.ReadAllText(_world.Standby.PgBackRestConfig), StringComparison.Ordinal);
    }

    [Fact]
    public void RenderAll_SshWrapper_IsExecutableAndPointsPgBackRestAtIt()
    {
        // Act
        _renderer.RenderAll();

        // Assert
        Assert.True(File.GetUnixFileMode(_files.SshWrapper).HasFlag(UnixFileMode.UserExecute));
        Assert.Contains("cmd-ssh=" + _files.SshWrapper + "\n", File.ReadAllText(_world.Standby.PgBackRestConfig), StringComparison.Ordinal);
    }

    [Fact]
    public void PrepareDataDirectory_RestoredBackup_AddsSignalCleansAutoConfAndRendersHba()
    {
        // Arrange
        var data = _world.Standby.DataDirectory;
        _world.Temp.WriteFile("data/postgresql.auto.conf", "restore_command = 'pgbackrest archive-get %f \"%p\"'\nwork_mem = '64MB'\n");
        _world.Temp.WriteFile("data/pg_hba.conf", "host all all 10.0.0.0/8 scram-sha-256\n");
        Directory.CreateDirectory(_world.Standby.RunDirectory);

        // Act
        _renderer.PrepareDataDirectory();

        // Assert
        Assert.True(File.Exists(Path.Combine(data, "standby.signal")));
        Assert.Equal("work_mem = '64MB'\n", File.ReadAllText(Path.Combine(data, "postgresql.auto.conf")));
        var hba = File.ReadAllText(_files.HbaConf);
        Assert.Contains("host all all 10.0.0.0/8 scram-sha-256", hba, StringComparison.Ordinal);
        Assert.DoesNotContain("0.0.0.0/0", hba, StringComparison.Ordinal);
        Assert.True(File.Exists(_files.IdentConf));
    }

    [Fact]
    public void PrepareDataDirectory_BackupWithoutHba_RendersDefaultRules()
    {
        // Arrange
        Directory.CreateDirectory(_world.Standby.DataDirectory);
        Directory.CreateDirectory(_world.Standby.RunDirectory);

        // Act
        _renderer.PrepareDataDirectory();

        // Assert
        Assert.Contains("0.0.0.0/0      md5", File.ReadAllText(_files.HbaConf), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_world.Standby.DataDirectory, "postgresql.auto.conf")));
    }

    [Fact]
    public void PrepareDataDirectory_ControlData_RendersPrimaryLimitsIntoPostgresConf()
    {
        // Arrange
        Directory.CreateDirectory(_world.Standby.DataDirectory);
        _renderer.RenderAll();
        var control = ControlData.Parse(ControlDataTests.RaisedSample);

        // Act
        _renderer.PrepareDataDirectory(control);

        // Assert
        var effective = PostgresqlConfReader.Effective(File.ReadAllText(_files.PostgresConf));
        Assert.Equal("250", effective["max_connections"]);
        Assert.Equal("16", effective["max_worker_processes"]);
        Assert.Equal("12", effective["max_wal_senders"]);
        Assert.Equal("20", effective["max_prepared_transactions"]);
        Assert.Equal("128", effective["max_locks_per_transaction"]);
    }

    [Fact]
    public void PrepareDataDirectory_WithoutControlData_RendersNoLimitsSoTheBackupsStand()
    {
        // Arrange
        Directory.CreateDirectory(_world.Standby.DataDirectory);
        _renderer.RenderAll();
        var before = File.ReadAllText(_files.PostgresConf);

        // Act
        _renderer.PrepareDataDirectory();

        // Assert
        var after = File.ReadAllText(_files.PostgresConf);
        Assert.Equal(before, after);
        Assert.DoesNotContain("max_connections", after, StringComparison.Ordinal);
    }

    [Fact]
    public void PrepareDataDirectory_AutoConfBelowPrimary_RemovesOnlyTheLowerCopies()
    {
        // Arrange
        _world.Temp.WriteFile("data/postgresql.auto.conf", "max_connections = '100'\nmax_wal_senders = '20'\nwork_mem = '64MB'\n");
        Directory.CreateDirectory(_world.Standby.RunDirectory);

        // Act
        _renderer.PrepareDataDirectory(ControlData.Parse(ControlDataTests.RaisedSample));

        // Assert
        Assert.Equal("max_wal_senders = '20'\nwork_mem = '64MB'\n", File.ReadAllText(Path.Combine(_world.Standby.DataDirectory, "postgresql.auto.conf")));
    }

    [Fact]
    public void PrepareDataDirectory_AutoConfSetsWhatPgSettingsSets_RemovedSoPgSettingsWins()
    {
        // Arrange
        var renderer = WithStandby(new StandbyOptions
        {
            DataDirectory = _world.Standby.DataDirectory,
            RunDirectory = _world.Standby.RunDirectory,
            SocketDirectory = _world.Standby.SocketDirectory,
            ExtraSettings = [new("work_mem", "128MB")],
        });
        _world.Temp.WriteFile("data/postgresql.auto.conf", "work_mem = '64MB'\nshared_buffers = '1GB'\n");
        Directory.CreateDirectory(_world.Standby.RunDirectory);

        // Act
        renderer.PrepareDataDirectory(null);

        // Assert
        Assert.Equal("shared_buffers = '1GB'\n", File.ReadAllText(Path.Combine(_world.Standby.DataDirectory, "postgresql.auto.conf")));
        Assert.Equal("128MB", PostgresqlConfReader.Effective(File.ReadAllText(_files.PostgresConf))["work_mem"]);
    }

    [Fact]
    public void RenderAll_PgSettingsAndFolder_WrittenAfterWorkerSettings()
    {
        // Arrange
        var folder = _world.Temp.CreateFolder("conf.d");
        var standby = _world.Standby;
        var renderer = WithStandby(new StandbyOptions
        {
            DataDirectory = standby.DataDirectory,
            SocketDirectory = standby.SocketDirectory,
            PgBackRestConfig = standby.PgBackRestConfig,
            PgBackRestLogPath = standby.PgBackRestLogPath,
            PgBackRestSpoolPath = standby.PgBackRestSpoolPath,
            PgBackRestLockPath = standby.PgBackRestLockPath,
            SshDirectory = standby.SshDirectory,
            RunDirectory = standby.RunDirectory,
            StateDirectory = standby.StateDirectory,
            ExtraSettings = [new("hot_standby_feedback", "on")],
            SettingsDirectory = folder,
        });

        // Act
        renderer.RenderAll();

        // Assert
        var settings = PostgresqlConfReader.Read(File.ReadAllText(_files.PostgresConf));
        Assert.Equal(folder, settings.Single(s => s.Key == "include_dir").Value);
        Assert.Equal("on", settings.Single(s => s.Key == "hot_standby_feedback").Value);
    }

    private ConfigRenderer WithStandby(StandbyOptions standby) => new(
        Options.Create(_world.Repository),
        Options.Create(_world.Replication),
        Options.Create(standby),
        new FolderPreparer(NullLogger<FolderPreparer>.Instance),
        _role,
        NullLogger<ConfigRenderer>.Instance);
}
