using PgStandby.Core.Configuration;
using PgStandby.Core.Rendering;

namespace PgStandby.Core.Tests.Rendering;

public sealed partial class PostgresSettingsRendererTests
{
    private const string Password = "s3cret-Passw0rd";

    private static readonly RepositoryOptions Repository = new() { PrimaryHost = "postgres_master", Stanza = "psql" };

    private static readonly StandbyOptions Standby = new()
    {
        DataDirectory = "/var/lib/postgresql/data",
        Port = 5432,
        SocketDirectory = "/run/postgresql",
        PgBackRestConfig = "/etc/pgbackrest/pgbackrest.conf",
        RunDirectory = "/run/pgstandby",
    };

    private static readonly ReplicationOptions Replication = new()
    {
        PrimaryHost = "postgres_master",
        PrimaryPort = 5432,
        User = "replicator",
        Password = Password,
        ApplicationName = "slave",
    };

    [Fact]
    public void Render_Settings_IncludeBackupConfBeforeStandbySettings()
    {
        // Act
        var lines = Lines(Render());

        // Assert
        var include = lines.FindIndex(l => l == "include_if_exists = '/var/lib/postgresql/data/postgresql.conf'");
        Assert.True(include >= 0, "include_if_exists of PGDATA/postgresql.conf is missing");
        Assert.All(PostgresSettingsRenderer.ManagedSettings.Where(k => Value(lines, k) is not null), key =>
            Assert.True(lines.FindIndex(l => l.StartsWith(key + " = ", StringComparison.Ordinal)) > include, $"{key} comes before the include"));
        Assert.True(lines.FindIndex(l => l.StartsWith("restore_command = ", StringComparison.Ordinal)) > include);
    }

    [Fact]
    public void Render_RestoreCommand_RunsArchiveGetWithConfigAndStanza()
    {
        // Act
        var restoreCommand = ConfQuoteTests.Decode(Value(Lines(Render()), "restore_command")!);

        // Assert
        Assert.Equal("pgbackrest --config=/etc/pgbackrest/pgbackrest.conf --stanza=psql archive-get %f \"%p\"", restoreCommand);
    }

    [Fact]
    public void Render_PrimaryConninfo_NamesHostPortUserPassfileAndApplicationName()
    {
        // Act
        var conninfo = ConfQuoteTests.Decode(Value(Lines(Render()), "primary_conninfo")!);

        // Assert
        Assert.Equal("host=postgres_master port=5432 user=replicator passfile=/run/pgstandby/pgpass application_name=slave sslmode=prefer", conninfo);
    }

    [Fact]
    public void Render_Settings_NeverContainPassword()
    {
        // Act
        var text = Render();

        // Assert
        Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        Assert.DoesNotContain("password=", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Render_ApplicationNameWithQuotes_SurvivesBothQuotingLayers()
    {
        // Arrange
        var replication = new ReplicationOptions { ApplicationName = "eu 'b' \\ c" };

        // Act
        var conninfo = ConfQuoteTests.Decode(Value(Lines(PostgresSettingsRenderer.Render(Repository, replication, Standby, new RunFiles(Standby))), "primary_conninfo")!);

        // Assert
        Assert.Contains(" application_name='eu \\'b\\' \\\\ c' ", conninfo, StringComparison.Ordinal);
        Assert.Equal("eu 'b' \\ c", ConnInfoReader.Read(conninfo).Single(p => p.Key == "application_name").Value);
    }

    [Theory]
    [InlineData("recovery_target_timeline", "'latest'")]
    [InlineData("hot_standby", "on")]
    [InlineData("listen_addresses", "'*'")]
    [InlineData("port", "5432")]
    [InlineData("archive_mode", "off")]
    [InlineData("unix_socket_directories", "'/run/postgresql'")]
    [InlineData("hba_file", "'/run/pgstandby/pg_hba.conf'")]
    [InlineData("ident_file", "'/run/pgstandby/pg_ident.conf'")]
    public void Render_StandbySetting_HasExpectedValue(string key, string expected)
    {
        // Act
        var value = Value(Lines(Render()), key);

        // Assert
        Assert.Equal(expected, value);
    }

    [Fact]
    public void ManagedSettings_EveryRenderedSetting_IsManaged()
    {
        // Act
        var keys = PostgresSettingsRenderer.Settings(Repository, Replication, Standby, new RunFiles(Standby)).Select(p => p.Key);

        // Assert
        Assert.All(keys, key => Assert.Contains(key, PostgresSettingsRenderer.ManagedSettings));
    }

    private static string Render() => PostgresSettingsRenderer.Render(Repository, Replication, Standby, new RunFiles(Standby));

    private static List<string> Lines(string text) => [.. text.Split('\n')];

    private static string? Value(List<string> lines, string key) =>
        lines.Where(l => l.StartsWith(key + " = ", StringComparison.Ordinal)).Select(l => l[(key.Length + 3)..]).SingleOrDefault();
}
