using PgStandby.Core.Configuration;
using PgStandby.Core.Tests.TestSupport;

namespace PgStandby.Core.Tests.Configuration;

/// <summary>
/// Every environment variable the worker reads, fed empty, malformed, out-of-range and hostile values: each
/// value is what README.md says (EveryVariableTests.Readme.cs), refused with a problem naming the variable, or
/// bound as given and rendered so that postgres, libpq and pgBackRest read back exactly what was bound.
/// </summary>
public sealed partial class EveryVariableTests : IDisposable
{
    /// <summary>What the *OptionsSetup classes read; the first test keeps this list honest.</summary>
    public static readonly string[] Variables =
    [
        "BACKREST_PRIMARY_HOST", "BACKREST_PRIMARY_USER", "BACKREST_PRIMARY_SSH_PORT", "BACKREST_STANZA",
        "BACKREST_REPO_PATH", "BACKREST_PRIMARY_CONFIG", "BACKREST_PRIMARY_HOST_KEY",
        "BACKREST_REPO_TRANSPORT", "BACKREST_PRIMARY_TLS_PORT", "BACKREST_PRIMARY_TLS_CA", "BACKREST_PRIMARY_TLS_CA_FILE",
        "PGSTANDBY_TLS_DIR", "PGSTANDBY_TLS_CERT", "PGSTANDBY_TLS_CERT_FILE",
        "PG_PRIMARY_HOST", "PG_PRIMARY_PORT", "PG_REPLICATION_USER", "PG_REPLICATION_PASSWORD", "PG_REPLICATION_PASSWORD_FILE",
        "PG_STANDBY_NAME", "PG_SLAVE_NAME", "PG_PRIMARY_SSLMODE", "PG_PRIMARY_SSLROOTCERT",
        "PGDATA", "PG_PORT", "PG_BIN_DIR", "PG_SOCKET_DIR", "BACKREST_CONFIG", "BACKREST_PROCESS_MAX",
        "BACKREST_LOG_PATH", "BACKREST_SPOOL_PATH", "BACKREST_LOCK_PATH", "BACKREST_ARCHIVE_GET_QUEUE_MAX",
        "PGSTANDBY_SSH_DIR", "PGSTANDBY_RUN_DIR", "PGSTANDBY_STATE_DIR", "PG_SETTINGS", "PG_SETTINGS_DIR", "PG_HBA",
        "PGSTANDBY_RETRY_SECONDS", "PGSTANDBY_MONITOR_SECONDS", "PGSTANDBY_STOP_TIMEOUT_SECONDS",
        "PGSTANDBY_STALL_TIMEOUT", "PGSTANDBY_RESYNC_ON_GAP",
        "PGSTANDBY_MAX_LAG_BYTES", "PGSTANDBY_MAX_LAG_SECONDS", "PGSTANDBY_LAG_SAMPLES",
        "PGSTANDBY_METRICS_LISTEN", "PGSTANDBY_LOG_FORMAT",
    ];

    /// <summary>Empty, malformed, out of range, hostile; and a few values some variables legitimately accept.</summary>
    public static readonly string[] Values =
    [
        string.Empty, " ", "\t", "\n", "\u0000x", "x\r",
        .. HostileValues.Words,
        .. HostileValues.Paths,
        .. HostileValues.Ports,
        "3601", "4", "1.5", "16777215", "5PiB", "1.5GiB", "1GiB",
        "=", ";", "'", "\"", "\\", "%", "#", "*", "-x", "--config=/tmp/evil",
        "a=b", "work_mem=64MB", "work_mem='64MB'", "port=1", "a=b;c=d\ne=f", "work_mem=$(id)", "include_dir=/etc",
        "verify-full", "require", "primary.example", "/tmp", "/tmp/", "slave",
        " with 'quotes', \"doubles\", back\\slashes: and colons ",
        "ssh-ed25519 AAAA", "127.0.0.1:9187", "[::1]:9187", "json", "text", "tls", "ssh",
    ];

    /// <summary>Each option's own default (the one required variable set).</summary>
    private static readonly BoundEnvironment Defaults = new(new RepositoryOptions { PrimaryHost = "primary.example" }, new(), new(), new());

    private readonly TempDirectory _temp = new();
    private readonly string _binDirectory;

    public EveryVariableTests()
    {
        _binDirectory = _temp.CreateFolder("bin");
        _temp.WriteFile("bin/postgres");
    }

    public static TheoryData<string, string> EveryVariableEveryValue => HostileValues.Cross(Variables, Values);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Variables_ReadByTheOptionsSetups_AreExactlyTheListedOnes()
    {
        // Arrange
        var configuration = new RecordingConfiguration(TestConfiguration.From());

        // Act
        BoundEnvironment.From(configuration);

        // Assert
        Assert.Equal(Variables.Order(StringComparer.Ordinal), configuration.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Baseline_BindsWithoutProblemsAndRendersExactly()
    {
        // Act
        var bound = Bind();

        // Assert
        Assert.Empty(bound.Problems);
        AssertRenderedExactly(bound);
    }

    [Theory]
    [MemberData(nameof(EveryVariableEveryValue))]
    public void Bind_AnyValue_RefusedNamingTheVariableOrRenderedExactlyAsTheReadmeSays(string variable, string value)
    {
        // Arrange
        var accepted = ReadmeAccepts(variable, value);

        // Act
        var bound = Bind((variable, value));

        // Assert
        AssertAsTheReadmeSays(variable, value, accepted, bound);
        if (accepted)
        {
            Assert.Equal(Expected(variable, value), Read(variable, bound));
            AssertRenderedExactly(bound);
        }
    }

    [Theory]
    [InlineData("with spaces, 'single' and \"double\" quotes, back\\slashes\\ and co:lo:ns:")]
    [InlineData(" \\:'\" ")]
    [InlineData("*")]
    public void Bind_PasswordWithSpacesQuotesBackslashesAndColons_RenderedExactlyInPassfile(string password)
    {
        // Arrange
        var file = _temp.WriteFile("secret", password + "\n");

        // Act
        var direct = Bind(("PG_REPLICATION_PASSWORD", password));
        var fromFile = Bind(("PG_REPLICATION_PASSWORD_FILE", file));

        // Assert
        Assert.All([direct, fromFile], bound =>
        {
            Assert.Empty(bound.Problems);
            Assert.Equal(password, bound.Replication.Password);
            AssertRenderedExactly(bound);
        });
    }

    [Theory]
    [MemberData(nameof(SettingValues))]
    public void Bind_PgSettingsValue_RefusedNamingTheVariableOrRenderedExactlyAsTheReadmeSays(string value)
    {
        // Arrange
        var accepted = ReadmeAccepts("PG_SETTINGS", "cluster_name=" + value);

        // Act
        var bound = Bind(("PG_SETTINGS", "cluster_name=" + value));

        // Assert
        AssertAsTheReadmeSays("PG_SETTINGS", value, accepted, bound);
        if (accepted)
        {
            Assert.Equal(value.Trim(), Assert.Single(bound.Standby.ExtraSettings).Value);
            AssertRenderedExactly(bound);
        }
    }

    public static TheoryData<string> SettingValues =>
    [
        .. Values.Where(v => !v.Contains(';', StringComparison.Ordinal) && !v.Contains('\n', StringComparison.Ordinal)),
        "'quoted'",
        "it''s",
        "\\'",
        "# comment?",
        "x' include_dir = '/etc",
    ];

    private BoundEnvironment Bind(params (string Name, string Value)[] variables)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["BACKREST_PRIMARY_HOST"] = "primary.example",
            ["PG_BIN_DIR"] = _binDirectory,
        };
        foreach (var (name, value) in variables)
        {
            environment[name] = value;
        }

        return BoundEnvironment.From(TestConfiguration.From(environment));
    }

    /// <summary>Accepted (no problem) or refused (problems, each naming the variable), whichever README.md says.</summary>
    private static void AssertAsTheReadmeSays(string variable, string value, bool accepted, BoundEnvironment bound)
    {
        if (accepted)
        {
            Assert.True(bound.Problems.Count == 0, $"README accepts {variable}='{EnvironmentValues.Shown(value)}', the worker refused it: {string.Join(" ", bound.Problems)}");
        }
        else
        {
            Assert.True(bound.Problems.Count > 0, $"README refuses {variable}='{EnvironmentValues.Shown(value)}', the worker accepted it");
            AssertRefusedNaming(variable, value, bound.Problems);
        }
    }

    private static void AssertRefusedNaming(string variable, string value, IReadOnlyList<string> problems)
    {
        Assert.All(problems, problem =>
        {
            Assert.Contains(variable, problem, StringComparison.Ordinal);
            Assert.DoesNotContain(problem, char.IsControl);
            Assert.True(problem.Length < 400, $"problem is {problem.Length} characters long");
            if (variable == "PG_REPLICATION_PASSWORD" && value.Trim().Length >= 4)
            {
                Assert.DoesNotContain(value.Trim(), problem, StringComparison.Ordinal);
            }
        });
    }

    /// <summary>What the variable is bound to, as text.</summary>
    private static string Read(string variable, BoundEnvironment bound) => variable switch
    {
        "BACKREST_PRIMARY_HOST" => bound.Repository.PrimaryHost,
        "BACKREST_PRIMARY_USER" => bound.Repository.SshUser,
        "BACKREST_PRIMARY_SSH_PORT" => Text(bound.Repository.SshPort),
        "BACKREST_STANZA" => bound.Repository.Stanza,
        "BACKREST_REPO_PATH" => bound.Repository.RepoPath,
        "BACKREST_PRIMARY_CONFIG" => bound.Repository.PrimaryConfig ?? "(unset)",
        "BACKREST_PRIMARY_HOST_KEY" => bound.Repository.PinnedHostKey ?? "(unset)",
        "BACKREST_REPO_TRANSPORT" => bound.Repository.Transport == RepositoryTransport.Tls ? "tls" : "ssh",
        "BACKREST_PRIMARY_TLS_PORT" => Text(bound.Repository.TlsPort),
        "BACKREST_PRIMARY_TLS_CA" => bound.Repository.TlsCaPem ?? "(unset)",
        "BACKREST_PRIMARY_TLS_CA_FILE" => bound.Repository.TlsCaFile ?? "(unset)",
        "PGSTANDBY_TLS_DIR" => bound.Standby.TlsDirectory,
        "PGSTANDBY_TLS_CERT" => bound.Standby.TlsCertificatePem ?? "(unset)",
        "PGSTANDBY_TLS_CERT_FILE" => bound.Standby.TlsCertificateFile ?? "(unset)",
        "PG_PRIMARY_HOST" => bound.Replication.PrimaryHost,
        "PG_PRIMARY_PORT" => Text(bound.Replication.PrimaryPort),
        "PG_REPLICATION_USER" => bound.Replication.User,
        "PG_REPLICATION_PASSWORD" or "PG_REPLICATION_PASSWORD_FILE" => bound.Replication.Password,
        "PG_STANDBY_NAME" or "PG_SLAVE_NAME" => bound.Replication.ApplicationName,
        "PG_PRIMARY_SSLMODE" => bound.Replication.SslMode,
        "PG_PRIMARY_SSLROOTCERT" => bound.Replication.SslRootCert ?? "(unset)",
        "PGDATA" => bound.Standby.DataDirectory,
        "PG_PORT" => Text(bound.Standby.Port),
        "PG_BIN_DIR" => bound.Standby.BinDirectory,
        "PG_SOCKET_DIR" => bound.Standby.SocketDirectory,
        "BACKREST_CONFIG" => bound.Standby.PgBackRestConfig,
        "BACKREST_PROCESS_MAX" => Text(bound.Standby.ProcessMax),
        "BACKREST_LOG_PATH" => bound.Standby.PgBackRestLogPath,
        "BACKREST_SPOOL_PATH" => bound.Standby.PgBackRestSpoolPath,
        "BACKREST_LOCK_PATH" => bound.Standby.PgBackRestLockPath,
        "BACKREST_ARCHIVE_GET_QUEUE_MAX" => Text(bound.Standby.ArchiveGetQueueMax),
        "PGSTANDBY_SSH_DIR" => bound.Standby.SshDirectory,
        "PGSTANDBY_RUN_DIR" => bound.Standby.RunDirectory,
        "PGSTANDBY_STATE_DIR" => bound.Standby.StateDirectory,
        "PG_SETTINGS" => string.Join(';', bound.Standby.ExtraSettings.Select(s => s.Key + "=" + s.Value)),
        "PG_SETTINGS_DIR" => bound.Standby.SettingsDirectory ?? "(unset)",
        "PG_HBA" => bound.Standby.HbaRules is { } rules ? string.Join('\n', rules) : "(unset)",
        "PGSTANDBY_RETRY_SECONDS" => Text(bound.Supervision.RetryInterval.TotalSeconds),
        "PGSTANDBY_MONITOR_SECONDS" => Text(bound.Supervision.MonitorInterval.TotalSeconds),
        "PGSTANDBY_STOP_TIMEOUT_SECONDS" => Text(bound.Supervision.StopTimeout.TotalSeconds),
        "PGSTANDBY_STALL_TIMEOUT" => Text(bound.Supervision.StallTimeout.TotalSeconds),
        "PGSTANDBY_RESYNC_ON_GAP" => bound.Supervision.ResyncOnGap ? "true" : "false",
        "PGSTANDBY_MAX_LAG_BYTES" => Text(bound.Supervision.MaxLagBytes),
        "PGSTANDBY_MAX_LAG_SECONDS" => Text(bound.Supervision.MaxLagSeconds.TotalSeconds),
        "PGSTANDBY_LAG_SAMPLES" => Text(bound.Supervision.LagSamples),
        "PGSTANDBY_METRICS_LISTEN" => bound.Supervision.MetricsListen ?? "(unset)",
        "PGSTANDBY_LOG_FORMAT" => bound.Supervision.LogFormat,
        _ => throw new ArgumentOutOfRangeException(nameof(variable), variable, "not a variable of EveryVariableTests.Variables"),
    };

    /// <summary>What an accepted value must be bound to: the default when empty, otherwise the value as the variable's type reads it.</summary>
    private static string Expected(string variable, string value)
    {
        if (value.Length == 0)
        {
            return Read(variable, Defaults);
        }

        return variable switch
        {
            "PG_REPLICATION_PASSWORD" or "PG_STANDBY_NAME" or "PG_SLAVE_NAME" => value,
            "PG_SETTINGS" => string.Join(';', value.Split([';', '\n']).Select(e => e.Trim()).Where(e => e.Length > 0)
                .Select(e => e[..e.IndexOf('=', StringComparison.Ordinal)].Trim() + "=" + e[(e.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim())),
            "PG_HBA" => string.Join('\n', value.Split([';', '\n']).Select(r => r.Trim()).Where(r => r.Length > 0)),
            "BACKREST_ARCHIVE_GET_QUEUE_MAX" or "PGSTANDBY_MAX_LAG_BYTES" => Text(EnvironmentValues.ParseSize(value.Trim())!.Value),
            "PGSTANDBY_RESYNC_ON_GAP" => value.Trim().ToLowerInvariant() is "true" or "yes" or "on" or "1" ? "true" : "false",
            _ when Read(variable, Defaults).StartsWith('/') || variable is "BACKREST_PRIMARY_CONFIG" or "PG_PRIMARY_SSLROOTCERT" or "PG_SETTINGS_DIR" or "BACKREST_PRIMARY_TLS_CA_FILE" or "PGSTANDBY_TLS_CERT_FILE"
                => value.Trim().Length > 1 ? value.Trim().TrimEnd('/') : value.Trim(),
            _ when int.TryParse(value.Trim(), out var number) => Text(number),
            _ => value.Trim(),
        };
    }

    private static string Text(double number) => number.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
