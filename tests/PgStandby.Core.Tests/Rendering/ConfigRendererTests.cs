using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PgStandby.Core.Processes;
using PgStandby.Core.Rendering;
using PgStandby.Core.Tests.TestSupport;

namespace PgStandby.Core.Tests.Rendering;

public sealed class ConfigRendererTests : IDisposable
{
    private readonly TestWorld _world = new();
    private readonly ConfigRenderer _renderer;
    private readonly RunFiles _files;

    public ConfigRendererTests()
    {
        _renderer = new ConfigRenderer(
            Options.Create(_world.Repository),
            Options.Create(_world.Replication),
            Options.Create(_world.Standby),
            new FolderPreparer(NullLogger<FolderPreparer>.Instance),
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
}
