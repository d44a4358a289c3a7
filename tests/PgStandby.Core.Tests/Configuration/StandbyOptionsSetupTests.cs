using Microsoft.Extensions.Configuration;
using PgStandby.Core.Configuration;
using PgStandby.Core.Tests.TestSupport;

namespace PgStandby.Core.Tests.Configuration;

public sealed partial class StandbyOptionsSetupTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _binDirectory;

    public StandbyOptionsSetupTests()
    {
        // A stand-in for PostgreSQL 15's bin folder, so no test depends on postgresql-15 being installed.
        _binDirectory = _temp.CreateFolder("bin");
        _temp.WriteFile("bin/postgres");
    }

    public static TheoryData<string, string> HostilePaths => HostileValues.Cross(
        ["PGDATA", "BACKREST_CONFIG", "PGSTANDBY_SSH_DIR", "PGSTANDBY_RUN_DIR", "PGSTANDBY_STATE_DIR", "PG_SOCKET_DIR", "BACKREST_LOG_PATH", "BACKREST_SPOOL_PATH", "BACKREST_LOCK_PATH"],
        HostileValues.Paths);

    public static TheoryData<string, string> HostileNumbers => HostileValues.Cross(
        ["PG_PORT", "BACKREST_PROCESS_MAX"],
        [.. HostileValues.Words, "0", "-1", "65536", "0x10", "1e3"]);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Configure_OnlyBinDirectorySet_KeepsSeedDefaults()
    {
        // Arrange
        var configuration = TestConfiguration.From(("PG_BIN_DIR", _binDirectory));

        // Act
        var options = Bind(configuration);

        // Assert
        Assert.Empty(options.Problems);
        Assert.Equal("/var/lib/postgresql/data", options.DataDirectory);
        Assert.Equal(5432, options.Port);
        Assert.Equal("/etc/pgbackrest/pgbackrest.conf", options.PgBackRestConfig);
        Assert.Equal("/var/lib/postgresql/.ssh", options.SshDirectory);
        Assert.Equal("/run/pgstandby", options.RunDirectory);
        Assert.Equal("/var/lib/pgbackrest/pgstandby", options.StateDirectory);
        Assert.Equal("/run/postgresql", options.SocketDirectory);
        Assert.Equal(_binDirectory, options.BinDirectory);
        Assert.InRange(options.ProcessMax, 1, 256);
    }

    [Fact]
    public void Configure_SeedVariablesSet_BindsThem()
    {
        // Arrange
        var configuration = TestConfiguration.From(
            ("PG_BIN_DIR", _binDirectory + "/"),
            ("PGDATA", "/srv/postgresql/15/data"),
            ("PG_PORT", "5433"),
            ("BACKREST_CONFIG", "/srv/pgbackrest/pgbackrest.conf"),
            ("PGSTANDBY_SSH_DIR", "/srv/pgstandby/ssh"),
            ("PGSTANDBY_RUN_DIR", "/run/pgstandby-b"),
            ("PGSTANDBY_STATE_DIR", "/srv/pgstandby/state"),
            ("BACKREST_PROCESS_MAX", "4"));

        // Act
        var options = Bind(configuration);

        // Assert
        Assert.Empty(options.Problems);
        Assert.Equal(_binDirectory, options.BinDirectory);
        Assert.Equal("/srv/postgresql/15/data", options.DataDirectory);
        Assert.Equal(5433, options.Port);
        Assert.Equal("/srv/pgbackrest/pgbackrest.conf", options.PgBackRestConfig);
        Assert.Equal("/srv/pgstandby/ssh", options.SshDirectory);
        Assert.Equal("/run/pgstandby-b", options.RunDirectory);
        Assert.Equal("/srv/pgstandby/state", options.StateDirectory);
        Assert.Equal(4, options.ProcessMax);
    }

    [Fact]
    public void Configure_BinDirectoryWithoutPostgres_ReportsProblemNamingIt()
    {
        // Arrange
        var empty = _temp.CreateFolder("empty-bin");
        var configuration = TestConfiguration.From(("PG_BIN_DIR", empty));

        // Act
        var options = Bind(configuration);

        // Assert
        var problem = Assert.Single(options.Problems);
        Assert.StartsWith("PG_BIN_DIR ", problem, StringComparison.Ordinal);
        Assert.Contains(empty + "/postgres", problem, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(HostilePaths))]
    public void Configure_HostilePath_RefusedNamingVariable(string variable, string value)
    {
        // Arrange
        var configuration = TestConfiguration.From(("PG_BIN_DIR", _binDirectory), (variable, value));

        // Act
        var options = Bind(configuration);

        // Assert
        var problem = Assert.Single(options.Problems);
        Assert.StartsWith(variable + " must be an absolute path", problem, StringComparison.Ordinal);
        Assert.DoesNotContain(problem, char.IsControl);
        Assert.True(problem.Length < 300, $"problem is {problem.Length} characters long");
    }

    [Fact]
    public void Configure_HostileDataDirectory_KeepsDefaultInsteadOfValue()
    {
        // Arrange
        var configuration = TestConfiguration.From(("PG_BIN_DIR", _binDirectory), ("PGDATA", "/data;rm -rf /"));

        // Act
        var options = Bind(configuration);

        // Assert
        Assert.Single(options.Problems);
        Assert.Equal("/var/lib/postgresql/data", options.DataDirectory);
    }

    [Theory]
    [MemberData(nameof(HostileNumbers))]
    public void Configure_HostileNumber_RefusedNamingVariable(string variable, string value)
    {
        // Arrange
        var configuration = TestConfiguration.From(("PG_BIN_DIR", _binDirectory), (variable, value));

        // Act
        var options = Bind(configuration);

        // Assert
        var problem = Assert.Single(options.Problems);
        Assert.StartsWith(variable + " must be a whole number", problem, StringComparison.Ordinal);
        Assert.DoesNotContain(problem, char.IsControl);
    }

    [Theory]
    [InlineData("PGSTANDBY_RUN_DIR", "/srv/pg/data/run")]
    [InlineData("PGSTANDBY_STATE_DIR", "/srv/pg/data/pgstandby")]
    [InlineData("PGSTANDBY_SSH_DIR", "/srv/pg/data/.ssh")]
    [InlineData("PGSTANDBY_RUN_DIR", "/srv/pg/data")]
    [InlineData("PGSTANDBY_STATE_DIR", "/srv/pg/data/")]
    public void Configure_OwnFolderInsideDataDirectory_ReportsProblem(string variable, string value)
    {
        // Arrange
        var configuration = TestConfiguration.From(("PG_BIN_DIR", _binDirectory), ("PGDATA", "/srv/pg/data"), (variable, value));

        // Act
        var options = Bind(configuration);

        // Assert
        var problem = Assert.Single(options.Problems);
        Assert.Contains(variable, problem, StringComparison.Ordinal);
        Assert.Contains("outside PGDATA", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Configure_OwnFoldersBesideDataDirectoryWithSamePrefix_Accepted()
    {
        // Arrange
        var configuration = TestConfiguration.From(
            ("PG_BIN_DIR", _binDirectory),
            ("PGDATA", "/srv/pg/data"),
            ("PGSTANDBY_RUN_DIR", "/srv/pg/data-run"),
            ("PGSTANDBY_STATE_DIR", "/srv/pg/data.state"),
            ("PGSTANDBY_SSH_DIR", "/srv/pg/.ssh"));

        // Act
        var options = Bind(configuration);

        // Assert
        Assert.Empty(options.Problems);
    }

    /// <summary>
    /// KNOWN BUG, fails until src is fixed (src/PgStandby.Core/Configuration/StandbyOptionsSetup.cs, lines 40-41):
    /// IsInside compares the strings as given and AbsolutePath lets "//" and "/./" through, so the same folder
    /// spelled differently escapes the check (and a --delta restore then deletes the worker's own files).
    /// </summary>
    [Theory]
    [InlineData("/srv/pg//data", "/srv/pg/data/run")]
    [InlineData("/srv/pg/data", "/srv/pg//data/run")]
    public void Configure_RunDirectoryInsideDataDirectorySpelledDifferently_ReportsProblem(string dataDirectory, string runDirectory)
    {
        // Arrange
        var configuration = TestConfiguration.From(("PG_BIN_DIR", _binDirectory), ("PGDATA", dataDirectory), ("PGSTANDBY_RUN_DIR", runDirectory));

        // Act
        var options = Bind(configuration);

        // Assert
        Assert.Contains(options.Problems, p => p.Contains("outside PGDATA", StringComparison.Ordinal));
    }

    [Fact]
    public void Standby_CliOptions_BindsLikeTheWorker()
    {
        // Arrange
        var configuration = TestConfiguration.From(("PG_BIN_DIR", _binDirectory), ("PGSTANDBY_RUN_DIR", "/run/pgstandby-cli"));

        // Act
        var options = CliOptions.Standby(configuration);

        // Assert
        Assert.Equal("/run/pgstandby-cli", options.RunDirectory);
        Assert.Empty(options.Problems);
    }

    private static StandbyOptions Bind(IConfiguration configuration)
    {
        var options = new StandbyOptions();
        new StandbyOptionsSetup(configuration).Configure(options);
        return options;
    }
}
