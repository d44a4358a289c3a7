using PgStandby.Core.Configuration;
using PgStandby.Core.Postgres;
using PgStandby.Core.Rendering;
using PgStandby.Core.Tests.Postgres;

namespace PgStandby.Core.Tests.Rendering;

/// <summary>The order postgres reads the layers in, PG_SETTINGS and PG_SETTINGS_DIR, TLS in primary_conninfo.</summary>
public sealed partial class PostgresSettingsRendererTests
{
    private static readonly ControlData Raised = ControlData.Parse(ControlDataTests.RaisedSample)!;

    public static TheoryData<string> HostileSettingValues =>
    [
        "it's",
        "''",
        "\\",
        "back\\slash\\'",
        "\"double\" quotes",
        "$(id) `id` ; | & > < * ? ~ #",
        "# not a comment",
        "name = other",
        "include_dir = '/etc'",
        "über €",
        " ",
        string.Empty,
        new string('v', 5000),
    ];

    [Fact]
    public void Render_Defaults_EveryLineReadableByPostgres()
    {
        // Act
        var settings = PostgresqlConfReader.Read(Render());

        // Assert
        Assert.Equal("include_if_exists", settings[0].Key);
        Assert.Equal(PostgresSettingsRenderer.Settings(Repository, Replication, Standby, new RunFiles(Standby)).Count + PostgresSettingsRenderer.Defaults(Environment.OSVersion.Version).Count + 1, settings.Count);
    }

    [Theory]
    [InlineData("5.8", "syncfs")]
    [InlineData("6.1.0", "syncfs")]
    [InlineData("5.4.0", null)]
    public void Defaults_Kernel_SyncfsOnlyWhereItReportsWritebackErrors(string kernel, string? expected)
    {
        // Act
        var defaults = PostgresSettingsRenderer.Defaults(Version.Parse(kernel));

        // Assert
        Assert.Equal(expected, defaults.SingleOrDefault(d => d.Key == "recovery_init_sync_method").Value);
    }

    [Fact]
    public void Render_OperatorSetsADefault_TheOperatorsValueIsReadLast()
    {
        // Arrange
        var standby = WithExtras([new("recovery_init_sync_method", "fsync")], null);

        // Act
        var settings = PostgresqlConfReader.Read(PostgresSettingsRenderer.Render(Repository, Replication, standby, new RunFiles(standby)));

        // Assert
        Assert.Equal("fsync", settings.Last(s => s.Key == "recovery_init_sync_method").Value);
        Assert.Null(PostgresSettingsRenderer.ManagedBy("recovery_init_sync_method"));
    }

    [Fact]
    public void Render_EveryLayer_InTheDocumentedOrder()
    {
        // Arrange
        var standby = WithExtras([new("hot_standby_feedback", "on"), new("work_mem", "64MB")], "/etc/pgstandby/conf.d");

        // Act
        var names = PostgresqlConfReader.Read(PostgresSettingsRenderer.Render(Repository, Replication, standby, new RunFiles(standby), Raised)).Select(s => s.Key).ToList();

        // Assert
        var backup = names.IndexOf("include_if_exists");
        var worker = names.IndexOf("primary_conninfo");
        var limits = names.IndexOf("max_connections");
        var folder = names.IndexOf("include_dir");
        var extra = names.IndexOf("work_mem");
        var workerAgain = names.LastIndexOf("primary_conninfo");
        var limitsAgain = names.LastIndexOf("max_connections");
        Assert.True(backup < worker && worker < limits && limits < folder && folder < extra && extra < workerAgain && workerAgain < limitsAgain, string.Join(", ", names));
        Assert.Equal("hot_standby_feedback", names[extra - 1]);
    }

    [Fact]
    public void Render_SettingsDirectory_ManagedSettingsAllReadAgainAfterIt()
    {
        // Arrange
        var standby = WithExtras([], "/etc/pgstandby/conf.d");

        // Act
        var settings = PostgresqlConfReader.Read(PostgresSettingsRenderer.Render(Repository, Replication, standby, new RunFiles(standby), Raised));

        // Assert
        var folder = settings.FindIndex(s => s.Key == "include_dir");
        Assert.Equal("/etc/pgstandby/conf.d", settings[folder].Value);
        var rendered = PostgresSettingsRenderer.Settings(Repository, Replication, standby, new RunFiles(standby)).Select(s => s.Key)
            .Concat(HotStandbyLimit.All.Select(l => l.Name));
        Assert.All(rendered, name => Assert.True(settings.FindLastIndex(s => s.Key == name) > folder, $"{name} is not read again after include_dir"));
    }

    [Fact]
    public void Render_NoExtras_WorkerSettingsRenderedOnce()
    {
        // Act
        var settings = PostgresqlConfReader.Read(PostgresSettingsRenderer.Render(Repository, Replication, Standby, new RunFiles(Standby), Raised));

        // Assert
        Assert.Single(settings, s => s.Key == "primary_conninfo");
        Assert.Single(settings, s => s.Key == "max_connections");
        Assert.DoesNotContain(settings, s => s.Key == "include_dir");
    }

    [Theory]
    [MemberData(nameof(HostileSettingValues))]
    public void Render_PgSettingsValue_ReadBackExactlyByPostgres(string value)
    {
        // Arrange
        var standby = WithExtras([new("cluster_name", value), new("work_mem", "64MB")], null);

        // Act
        var settings = PostgresqlConfReader.Read(PostgresSettingsRenderer.Render(Repository, Replication, standby, new RunFiles(standby), Raised));

        // Assert
        Assert.Equal(value, Assert.Single(settings, s => s.Key == "cluster_name").Value);
        Assert.Equal("64MB", Assert.Single(settings, s => s.Key == "work_mem").Value);
        Assert.DoesNotContain(settings, s => s.Key == "include_dir" || s.Key == "name");
    }

    [Fact]
    public void Render_VerifyFull_ConninfoCarriesSslModeAndRootCertificate()
    {
        // Arrange
        var replication = new ReplicationOptions { SslMode = "verify-full", SslRootCert = "/etc/ssl/primary+ca@1.crt" };

        // Act
        var conninfo = PostgresqlConfReader.Effective(PostgresSettingsRenderer.Render(Repository, replication, Standby, new RunFiles(Standby)))["primary_conninfo"];

        // Assert
        var pairs = ConnInfoReader.Read(conninfo).ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("verify-full", pairs["sslmode"]);
        Assert.Equal("/etc/ssl/primary+ca@1.crt", pairs["sslrootcert"]);
        Assert.DoesNotContain("password", pairs.Keys);
    }

    [Fact]
    public void Render_NoRootCertificate_ConninfoHasNoSslRootCert()
    {
        // Act
        var conninfo = PostgresqlConfReader.Effective(Render())["primary_conninfo"];

        // Assert
        Assert.DoesNotContain(ConnInfoReader.Read(conninfo), p => p.Key == "sslrootcert");
    }

    private static StandbyOptions WithExtras(IReadOnlyList<KeyValuePair<string, string>> extras, string? folder) => new()
    {
        DataDirectory = Standby.DataDirectory,
        Port = Standby.Port,
        SocketDirectory = Standby.SocketDirectory,
        PgBackRestConfig = Standby.PgBackRestConfig,
        RunDirectory = Standby.RunDirectory,
        ExtraSettings = extras,
        SettingsDirectory = folder,
    };
}
