using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PgStandby.Core.Processes;
using PgStandby.Core.Rendering;
using PgStandby.Core.Tests.TestSupport;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Postgres;

namespace PgStandby.Core.Tests.Rendering;

/// <summary>The run folder and PGDATA belong to postgres, which may plant links there for a root worker to follow.</summary>
public sealed class ConfigRendererLinkTests : IDisposable
{
    private readonly TestWorld _world = new();
    private readonly VictimFile _victim;
    private readonly NodeRole _role = new();
    private readonly ConfigRenderer _renderer;

    public ConfigRendererLinkTests()
    {
        _victim = new VictimFile(_world.Temp);
        _renderer = new ConfigRenderer(
            Options.Create(_world.Repository),
            Options.Create(_world.Replication),
            Options.Create(_world.Standby),
            new FolderPreparer(NullLogger<FolderPreparer>.Instance),
            _role,
            NullLogger<ConfigRenderer>.Instance);
    }

    public void Dispose() => _world.Dispose();

    [Theory]
    [InlineData("run/pgpass", "600", "")]
    [InlineData("run/ssh_config", "600", "")]
    [InlineData("run/ssh", "700", "")]
    [InlineData("run/postgresql.conf", "640", "")]
    [InlineData("etc/pgbackrest.conf", "640", "")]
    [InlineData("run/pgpass", "600", ".tmp")]
    [InlineData("run/ssh_config", "600", ".tmp")]
    [InlineData("run/ssh", "700", ".tmp")]
    [InlineData("run/postgresql.conf", "640", ".tmp")]
    [InlineData("etc/pgbackrest.conf", "640", ".tmp")]
    public void RenderAll_LinkPlanted_TargetUntouchedAndTheFileRegularWithItsMode(string file, string octalMode, string linkSuffix)
    {
        // Arrange
        var path = _world.Temp.Combine(file);
        _victim.PlantLinkAt(path + linkSuffix);

        // Act
        _renderer.RenderAll();

        // Assert
        _victim.AssertUntouched();
        VictimFile.AssertRegularFile(path, Mode(octalMode));
    }

    [Fact]
    public void RenderAll_RunFolder_IsOwnerAndGroupOnly()
    {
        // Act
        _renderer.RenderAll();

        // Assert
        Assert.Equal(Mode("750"), File.GetUnixFileMode(_world.Standby.RunDirectory));
    }

    [Theory]
    [InlineData("run/pg_hba.conf", "")]
    [InlineData("run/pg_ident.conf", "")]
    [InlineData("run/postgresql.conf", "")]
    [InlineData("run/pg_hba.conf", ".tmp")]
    [InlineData("run/pg_ident.conf", ".tmp")]
    [InlineData("data/postgresql.auto.conf", ".tmp")]
    public void PrepareDataDirectory_LinkPlanted_TargetUntouchedAndTheFileRegular(string file, string linkSuffix)
    {
        // Arrange
        _world.Temp.WriteFile("data/postgresql.auto.conf", "restore_command = 'x'\nwork_mem = '64MB'\n");
        Directory.CreateDirectory(_world.Standby.RunDirectory);
        var path = _world.Temp.Combine(file);
        _victim.PlantLinkAt(path + linkSuffix);

        // Act
        _renderer.PrepareDataDirectory();

        // Assert
        _victim.AssertUntouched();
        Assert.Null(new FileInfo(path).LinkTarget);
        Assert.True(File.Exists(path));
    }

    [Theory]
    [InlineData("pg_hba.conf")]
    [InlineData("pg_ident.conf")]
    [InlineData("postgresql.auto.conf")]
    public void PrepareDataDirectory_LinkInDataDirectory_IsRefusedNamingItAndNothingIsCopied(string name)
    {
        // Arrange
        Directory.CreateDirectory(_world.Standby.RunDirectory);
        var path = _victim.PlantLinkAt(Path.Combine(_world.Standby.DataDirectory, name));

        // Act
        var refusal = Assert.Throws<StandbyException>(() => _renderer.PrepareDataDirectory());

        // Assert
        Assert.Contains($"{path}: it is a symbolic link", refusal.Message, StringComparison.Ordinal);
        Assert.Contains($"replace {path} with a regular file", refusal.NextStep, StringComparison.Ordinal);
        _victim.AssertUntouched();
        Assert.All(
            Directory.GetFiles(_world.Standby.RunDirectory),
            file => Assert.DoesNotContain("secret-hash", File.ReadAllText(file), StringComparison.Ordinal));
    }

    private static UnixFileMode Mode(string octal) => (UnixFileMode)Convert.ToInt32(octal, 8);
}
