using PgStandby.Core.Configuration;
using PgStandby.Core.Rendering;

namespace PgStandby.Core.Tests.Rendering;

public sealed class PgBackRestConfigRendererTests
{
    private static readonly StandbyOptions Standby = new()
    {
        DataDirectory = "/var/lib/postgresql/data",
        Port = 5433,
        SocketDirectory = "/run/postgresql",
        ProcessMax = 3,
        PgBackRestLogPath = "/var/log/pgbackrest",
        PgBackRestSpoolPath = "/var/spool/pgbackrest",
        PgBackRestLockPath = "/tmp/pgbackrest",
        RunDirectory = "/run/pgstandby",
    };

    [Fact]
    public void Render_SeedRepository_WritesGlobalSectionForTheRepositoryHost()
    {
        // Arrange
        var repository = new RepositoryOptions { PrimaryHost = "postgres_master", SshPort = 2222 };

        // Act
        var sections = Sections(PgBackRestConfigRenderer.Render(repository, Standby, new RunFiles(Standby)));

        // Assert
        var global = sections["global"];
        Assert.Contains("repo1-host=postgres_master", global);
        Assert.Contains("repo1-host-user=postgres", global);
        Assert.Contains("repo1-host-port=2222", global);
        Assert.Contains("repo1-path=/var/lib/pgbackrest", global);
        Assert.Contains("cmd-ssh=/run/pgstandby/ssh", global);
        Assert.Contains("process-max=3", global);
        Assert.Contains("log-path=/var/log/pgbackrest", global);
        Assert.Contains("spool-path=/var/spool/pgbackrest", global);
        Assert.Contains("lock-path=/tmp/pgbackrest", global);
    }

    [Fact]
    public void Render_NoPrimaryConfig_OmitsRepoHostConfig()
    {
        // Arrange
        var repository = new RepositoryOptions { PrimaryHost = "primary" };

        // Act
        var text = PgBackRestConfigRenderer.Render(repository, Standby, new RunFiles(Standby));

        // Assert
        Assert.DoesNotContain("repo1-host-config", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_PrimaryConfigSet_WritesRepoHostConfig()
    {
        // Arrange
        var repository = new RepositoryOptions { PrimaryHost = "primary", PrimaryConfig = "/etc/pgbackrest/primary.conf" };

        // Act
        var sections = Sections(PgBackRestConfigRenderer.Render(repository, Standby, new RunFiles(Standby)));

        // Assert
        Assert.Contains("repo1-host-config=/etc/pgbackrest/primary.conf", sections["global"]);
    }

    [Fact]
    public void Render_Stanza_NamesSectionAfterStanzaWithPgSettings()
    {
        // Arrange
        var repository = new RepositoryOptions { PrimaryHost = "primary", Stanza = "main-15" };

        // Act
        var sections = Sections(PgBackRestConfigRenderer.Render(repository, Standby, new RunFiles(Standby)));

        // Assert
        Assert.Equal(["global", "global:archive-get", "main-15"], sections.Keys.Where(k => k.Length > 0));
        var stanza = sections["main-15"];
        Assert.Contains("pg1-path=/var/lib/postgresql/data", stanza);
        Assert.Contains("pg1-port=5433", stanza);
        Assert.Contains("pg1-socket-path=/run/postgresql", stanza);
        Assert.DoesNotContain(stanza, line => line.StartsWith("repo1-", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_ArchiveGet_AsynchronousWithQueueMaxInBytes()
    {
        // Arrange
        var repository = new RepositoryOptions { PrimaryHost = "primary" };
        var standby = new StandbyOptions { ArchiveGetQueueMax = 512L << 20 };

        // Act
        var sections = PgBackRestConfReader.Read(PgBackRestConfigRenderer.Render(repository, standby, new RunFiles(standby)));

        // Assert
        Assert.Equal([new("archive-async", "y"), new("archive-get-queue-max", "536870912"), new("archive-missing-retry", "n")], sections["global:archive-get"]);
        Assert.Equal(standby.PgBackRestSpoolPath, PgBackRestConfReader.Value(sections, "global", "spool-path"));
        Assert.Null(PgBackRestConfReader.Value(sections, "global", "archive-async"));
    }

    [Fact]
    public void Render_DefaultQueueMax_OneGibibyte()
    {
        // Act
        var sections = PgBackRestConfReader.Read(PgBackRestConfigRenderer.Render(new RepositoryOptions { PrimaryHost = "primary" }, Standby, new RunFiles(Standby)));

        // Assert
        Assert.Equal("1073741824", PgBackRestConfReader.Value(sections, "global:archive-get", "archive-get-queue-max"));
    }

    /// <summary>Lines per section, in order; key "" holds what comes before the first section.</summary>
    private static Dictionary<string, List<string>> Sections(string text)
    {
        var sections = new Dictionary<string, List<string>>(StringComparer.Ordinal) { [string.Empty] = [] };
        var current = sections[string.Empty];
        foreach (var line in text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                current = [];
                sections.Add(line[1..^1], current);
            }
            else
            {
                current.Add(line);
            }
        }

        return sections;
    }
}
