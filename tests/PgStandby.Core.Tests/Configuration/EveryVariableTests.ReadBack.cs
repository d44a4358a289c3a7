using System.Globalization;
using PgStandby.Core.Configuration;
using PgStandby.Core.Postgres;
using PgStandby.Core.Rendering;
using PgStandby.Core.Tests.Postgres;
using PgStandby.Core.Tests.Rendering;

namespace PgStandby.Core.Tests.Configuration;

/// <summary>Renders every file from the bound options and reads each back as its consumer does.</summary>
public sealed partial class EveryVariableTests
{
    private static readonly ControlData Primary = ControlData.Parse(ControlDataTests.RaisedSample)!;

    private static void AssertRenderedExactly(BoundEnvironment bound)
    {
        var files = new RunFiles(bound.Standby);
        AssertPostgresqlConf(bound, files);
        AssertPassfile(bound);
        AssertPgBackRestConf(bound, files);
    }

    private static void AssertPostgresqlConf(BoundEnvironment bound, RunFiles files)
    {
        var (repository, replication, standby) = (bound.Repository, bound.Replication, bound.Standby);
        var text = PostgresSettingsRenderer.Render(repository, replication, standby, files, Primary);
        var settings = PostgresqlConfReader.Read(text);
        var effective = PostgresqlConfReader.Effective(text);

        // Only the names the worker and PG_SETTINGS set: nothing smuggled in by a value.
        var expectedNames = PostgresSettingsRenderer.Settings(repository, replication, standby, files).Select(s => s.Key)
            .Concat(HotStandbyLimit.All.Select(l => l.Name))
            .Concat(PostgresSettingsRenderer.Defaults(Environment.OSVersion.Version).Select(s => s.Key))
            .Concat(standby.ExtraSettings.Select(s => s.Key))
            .Append("include_if_exists")
            .Concat(standby.SettingsDirectory is null ? [] : ["include_dir"])
            .ToHashSet(StringComparer.Ordinal);
        Assert.Equal(expectedNames.Order(StringComparer.Ordinal), settings.Select(s => s.Key).Distinct().Order(StringComparer.Ordinal));

        Assert.Equal(Path.Combine(standby.DataDirectory, "postgresql.conf"), effective["include_if_exists"]);
        Assert.Equal(standby.SettingsDirectory, effective.GetValueOrDefault("include_dir"));
        Assert.Equal(standby.Port.ToString(CultureInfo.InvariantCulture), effective["port"]);
        Assert.Equal(standby.SocketDirectory, effective["unix_socket_directories"]);
        Assert.Equal(files.HbaConf, effective["hba_file"]);
        Assert.Equal(files.IdentConf, effective["ident_file"]);
        Assert.Equal(
            ["pgbackrest", "--config=" + standby.PgBackRestConfig, "--stanza=" + repository.Stanza, "archive-get", "%f", "%p"],
            ShellWords.Split(effective["restore_command"]));

        List<KeyValuePair<string, string>> conninfo =
        [
            new("host", replication.PrimaryHost),
            new("port", replication.PrimaryPort.ToString(CultureInfo.InvariantCulture)),
            new("user", replication.User),
            new("passfile", files.Passfile),
            new("application_name", replication.ApplicationName),
            new("sslmode", replication.SslMode),
        ];
        if (replication.SslRootCert is not null)
        {
            conninfo.Add(new("sslrootcert", replication.SslRootCert));
        }

        Assert.Equal(conninfo, ConnInfoReader.Read(effective["primary_conninfo"]));

        foreach (var (name, value) in standby.ExtraSettings.Where(s => HotStandbyLimit.Find(s.Key) is null))
        {
            Assert.Equal(standby.ExtraSettings.Last(s => s.Key == name).Value, effective[name]);
        }

        // The password never reaches postgresql.conf: another password renders the same file.
        Assert.Equal(text, PostgresSettingsRenderer.Render(repository, WithOtherPassword(replication), standby, files, Primary));
    }

    private static void AssertPassfile(BoundEnvironment bound)
    {
        var replication = bound.Replication;
        var text = Passfile.Render(replication.PrimaryHost, replication.PrimaryPort, replication.User, replication.Password);
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(
            replication.Password,
            PassfileReader.Lookup(text, replication.PrimaryHost, replication.PrimaryPort.ToString(CultureInfo.InvariantCulture), "replication", replication.User));
    }

    private static void AssertPgBackRestConf(BoundEnvironment bound, RunFiles files)
    {
        var (repository, standby) = (bound.Repository, bound.Standby);
        var text = PgBackRestConfigRenderer.Render(repository, standby, files);
        var sections = PgBackRestConfReader.Read(text);

        Dictionary<string, string> global = new(StringComparer.Ordinal)
        {
            ["repo1-host"] = repository.PrimaryHost,
            ["repo1-path"] = repository.RepoPath,
            ["process-max"] = standby.ProcessMax.ToString(CultureInfo.InvariantCulture),
            ["log-path"] = standby.PgBackRestLogPath,
            ["spool-path"] = standby.PgBackRestSpoolPath,
            ["lock-path"] = standby.PgBackRestLockPath,
            ["log-level-file"] = "info",
        };
        if (repository.PrimaryConfig is not null)
        {
            global["repo1-host-config"] = repository.PrimaryConfig;
        }

        if (repository.Transport == RepositoryTransport.Tls)
        {
            global["repo1-host-type"] = "tls";
            global["repo1-host-port"] = repository.TlsPort.ToString(CultureInfo.InvariantCulture);
            global["repo1-host-cert-file"] = standby.TlsCertificatePem is not null ? files.TlsCertificate : standby.TlsCertificateFile ?? Path.Combine(standby.TlsDirectory, "pgstandby-tls.crt");
            global["repo1-host-key-file"] = Path.Combine(standby.TlsDirectory, "pgstandby-tls.key");
            global["repo1-host-ca-file"] = repository.TlsCaPem is not null ? files.TlsCa : repository.TlsCaFile ?? Path.Combine(standby.TlsDirectory, "pgstandby-tls-ca.crt");
        }
        else
        {
            global["repo1-host-user"] = repository.SshUser;
            global["repo1-host-port"] = repository.SshPort.ToString(CultureInfo.InvariantCulture);
            global["cmd-ssh"] = files.SshWrapper;
        }

        Assert.Equal(["global", "global:archive-get", repository.Stanza], sections.Keys.Where(k => k.Length > 0));
        Assert.Equal(global.OrderBy(p => p.Key, StringComparer.Ordinal), sections["global"].OrderBy(p => p.Key, StringComparer.Ordinal));
        List<KeyValuePair<string, string>> archiveGet =
            [new("archive-async", "y"), new("archive-get-queue-max", standby.ArchiveGetQueueMax.ToString(CultureInfo.InvariantCulture)), new("archive-missing-retry", "n")];
        if (repository.Transport == RepositoryTransport.Tls)
        {
            archiveGet.Add(new("io-timeout", "5"));
        }

        Assert.Equal(archiveGet, sections["global:archive-get"]);
        Assert.Equal(
            [
                new("pg1-path", standby.DataDirectory),
                new("pg1-port", standby.Port.ToString(CultureInfo.InvariantCulture)),
                new("pg1-socket-path", standby.SocketDirectory),
            ],
            sections[repository.Stanza]);

        // pgBackRest trims values: a rendered value must have nothing to trim.
        Assert.All(text.Split('\n').Where(l => l.Contains('=', StringComparison.Ordinal)), line => Assert.Equal(line.Trim(), line));
    }

    private static ReplicationOptions WithOtherPassword(ReplicationOptions replication) => new()
    {
        PrimaryHost = replication.PrimaryHost,
        PrimaryPort = replication.PrimaryPort,
        User = replication.User,
        Password = replication.Password + "-other",
        ApplicationName = replication.ApplicationName,
        SslMode = replication.SslMode,
        SslRootCert = replication.SslRootCert,
    };
}
