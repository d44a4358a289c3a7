using System.Globalization;
using System.Text.Json;

namespace PgStandby.IntegrationTests.World;

/// <summary>
/// One real primary per test collection, built by tests/world/primary-up.sh with the operators' own
/// deploy/primary/setup-primary.sh: a PostgreSQL 15 cluster archiving through pgBackRest, stanza psql,
/// the replicator user, a full backup, and a dedicated sshd on loopback. Plus the published pgstandby.
/// </summary>
public sealed class PrimaryWorld : IAsyncLifetime
{
    private readonly bool _tlsServer;
    private Dictionary<string, string> _values = [];

    public PrimaryWorld()
        : this(tlsServer: false)
    {
    }

    /// <summary>With <paramref name="tlsServer"/>, the primary also runs pgBackRest's TLS server (primary-up.sh --tls-port): see <see cref="TlsWorld"/>.</summary>
    internal PrimaryWorld(bool tlsServer) => _tlsServer = tlsServer;

    public string Root { get; } = Path.Combine("/tmp", "pgstandby-it-" + Guid.NewGuid().ToString("N")[..8]);

    public string Binary { get; private set; } = string.Empty;

    public int PgPort => int.Parse(_values["PG_PORT"], CultureInfo.InvariantCulture);

    public int SshPort => int.Parse(_values["SSH_PORT"], CultureInfo.InvariantCulture);

    public string Stanza => _values["STANZA"];

    public string PgBackRestConfig => _values["PGBACKREST_CONFIG"];

    public string RepoPath => _values["REPO_PATH"];

    public string ReplicationPassword { get; private set; } = string.Empty;

    /// <summary>The file holding the replication password (root's, 600), for a standby that reads it as a secret.</summary>
    public string ReplicationPasswordFile => _values["REPLICATION_PASSWORD_FILE"];

    public string HostKey => _values["HOST_KEY_PUB"];

    /// <summary>The world's sshd (the listener): the primary's side of every standby's SSH session descends from it.</summary>
    public int SshdProcessId => int.Parse(File.ReadAllText(Path.Combine(Root, "primary", "sshd.pid")).Trim(), CultureInfo.InvariantCulture);

    /// <summary>The Debian cluster of the primary, for pg_ctlcluster.</summary>
    public string Cluster => _values["CLUSTER"];

    /// <summary>An isolated network the primary also listens on (null when it could not be made: see <see cref="NetworkProblem"/>).</summary>
    public NetworkNamespace? Network { get; private set; }

    public string? NetworkProblem { get; private set; }

    private static string Script(string name) => Path.Combine(RepositoryPaths.Root, "tests", "world", name);

    public async Task InitializeAsync()
    {
        if (Prerequisites.Missing() is { } missing)
        {
            if (Prerequisites.IsCi)
            {
                throw new InvalidOperationException("CI=true but the test world cannot be built: missing " + missing);
            }

            return; // every [WorldFact] is skipped
        }

        Binary = await PublishedBinary.GetAsync();

        // The isolated network exists before the primary starts, so its postgres and sshd listen on it.
        List<string> listen = [];
        try
        {
            Network = await NetworkNamespace.CreateAsync(Path.GetFileName(Root)["pgstandby-it-".Length..] + "-standby");
            listen = ["--listen", Network.HostAddress, "--hba-cidr", Network.Cidr];
        }
        catch (InvalidOperationException exception)
        {
            NetworkProblem = exception.Message;
        }

        try
        {
            string[] tls = _tlsServer ? ["--tls-port", FreePort.Next().ToString(CultureInfo.InvariantCulture)] : [];
            var output = await Shell.RunAsync(Script("primary-up.sh"), [Root, FreePort.Next().ToString(CultureInfo.InvariantCulture), FreePort.Next().ToString(CultureInfo.InvariantCulture), .. listen, .. tls]);
            _values = KeyValues.Parse(output);
        }
        catch
        {
            await DisposeNetworkAsync();
            throw;
        }

        ReplicationPassword = (await File.ReadAllTextAsync(_values["REPLICATION_PASSWORD_FILE"])).TrimEnd('\n');

        // A database large enough that a restore takes a few seconds, so tests can interrupt one.
        await Shell.AsPostgresAsync("/usr/lib/postgresql/15/bin/pgbench", ["-i", "-q", "-s", "8", "-h", "/var/run/postgresql", "-p", PgPort.ToString(CultureInfo.InvariantCulture), "postgres"]);
        await SqlAsync("CREATE TABLE IF NOT EXISTS probe (id serial PRIMARY KEY, note text NOT NULL)");
        await BackupAsync();
    }

    public async Task DisposeAsync()
    {
        if (_values.Count > 0)
        {
            await Shell.RunAsync(Script("primary-down.sh"), [Root]);
        }

        await DisposeNetworkAsync();

        if (Directory.Exists(Root) && !Prerequisites.IsCi)
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    /// <summary>Runs SQL on the primary as postgres and returns psql's unaligned output.</summary>
    public async Task<string> SqlAsync(string sql) =>
        (await Shell.AsPostgresAsync("psql", ["-X", "-At", "-v", "ON_ERROR_STOP=1", "-h", "/var/run/postgresql", "-p", PgPort.ToString(CultureInfo.InvariantCulture), "-d", "postgres", "-c", sql])).Trim();

    /// <summary>The repository's size of the newest backup (compressed): what a restore carries over the link.</summary>
    public async Task<long> NewestBackupRepositoryBytesAsync()
    {
        var info = await Shell.AsPostgresAsync("pgbackrest", ["--config=" + PgBackRestConfig, "--stanza=" + Stanza, "--output=json", "info"]);
        using var document = JsonDocument.Parse(info);
        var backups = document.RootElement[0].GetProperty("backup");
        var newest = backups[backups.GetArrayLength() - 1];
        return newest.GetProperty("info").GetProperty("repository").GetProperty("size").GetInt64();
    }

    public Task BackupAsync() =>
        Shell.AsPostgresAsync("pgbackrest", ["--config=" + PgBackRestConfig, "--stanza=" + Stanza, "--type=full", "--start-fast", "backup"]);

    /// <summary>
    /// Authorizes a standby's key on the primary, restricted to pgBackRest, with the operators' script: for postgres
    /// (setup-primary.sh --allow-write) or for the read-only account <see cref="ReadOnlyAccount"/>, from
    /// <paramref name="fromCidr"/> only when given (--from). Returns the value the script printed to pin as
    /// BACKREST_PRIMARY_HOST_KEY for the world's sshd (empty when it printed none).
    /// </summary>
    public async Task<string> AuthorizeAsync(string publicKey, string account = "postgres", string? fromCidr = null)
    {
        var output = await Shell.RunAsync(Script("authorize-key.sh"), [Root, publicKey, account, .. fromCidr is null ? Array.Empty<string>() : [fromCidr]]);
        const string Prefix = "BACKREST_PRIMARY_HOST_KEY=";
        return output.Split('\n').FirstOrDefault(l => l.StartsWith(Prefix, StringComparison.Ordinal))?[Prefix.Length..].Trim() ?? string.Empty;
    }

    /// <summary>The standbys' read-only account setup-primary.sh makes (group postgres only).</summary>
    public string ReadOnlyAccount => _values["READ_ONLY_ACCOUNT"];

    /// <summary>The primary's folder: its PGDATA (data), repository (repo), keys and secrets.</summary>
    public string PrimaryDirectory => Path.Combine(Root, "primary");

    public string PrimaryDataDirectory => Path.Combine(PrimaryDirectory, "data");

    public string LockPath => _values["LOCK_PATH"];

    /// <summary>Where the forced command writes every command it accepted or refused.</summary>
    public string ForcedCommandLog => _values["FORCED_COMMAND_LOG"];

    /// <summary>The port of pgBackRest's TLS server (a world made with the TLS server only).</summary>
    public int TlsPort => int.Parse(_values["TLS_PORT"], CultureInfo.InvariantCulture);

    /// <summary>The CA the TLS server's certificate and the clients' are signed with: what a standby pins.</summary>
    public string TlsCaFile => _values["TLS_CA_FILE"];

    /// <summary>setup-primary.sh's --tls-dir: the CA's key, the server's key and certificate, server.conf, the clients' certificates.</summary>
    public string TlsDirectory => _values["TLS_DIR"];

    /// <summary>The TLS server's process, from the pid file setup-primary.sh wrote when it started it.</summary>
    public int TlsServerProcessId => int.Parse(File.ReadAllText(_values["TLS_PID_FILE"]).Trim(), CultureInfo.InvariantCulture);

    /// <summary>Signs a standby's CSR with tests/world/sign-csr.sh (setup-primary.sh --sign-csr) and returns the bundle it wrote: the client certificate, then the CA's.</summary>
    public async Task<string> SignCsrAsync(string csrFile, string? outFile = null) =>
        (await Shell.RunAsync(Script("sign-csr.sh"), [Root, csrFile, .. outFile is null ? Array.Empty<string>() : [outFile]])).Trim();

    /// <summary>Runs setup-primary.sh again with the arguments primary-up.sh gave it, as an operator re-running it would.</summary>
    public async Task RerunSetupAsync()
    {
        var arguments = await File.ReadAllLinesAsync(Path.Combine(PrimaryDirectory, "setup-args"));
        await Shell.RunAsync(Path.Combine(RepositoryPaths.Root, "deploy", "primary", "setup-primary.sh"), [.. arguments, "--no-backup", "--backup-schedule", "none"], TimeSpan.FromMinutes(3));
    }

    /// <summary>A new standby with its own folders and port, not yet started.</summary>
    public StandbyProcess NewStandby(string name) => new(this, Path.Combine(Root, name), FreePort.Next(), name);

    /// <summary>A new standby that runs in the world's isolated network and reaches the primary through it only.</summary>
    public StandbyProcess NewIsolatedStandby(string name)
    {
        var network = Network ?? throw new InvalidOperationException("the isolated network could not be made: " + NetworkProblem);
        var standby = NewStandby(name);
        standby.Network = network;
        standby.Environment["BACKREST_PRIMARY_HOST"] = network.HostAddress;
        standby.Environment["PG_PRIMARY_HOST"] = network.HostAddress;
        return standby;
    }

    /// <summary>Commits rows in the probe table and returns the table's fingerprint (see <see cref="ProbeTable"/>).</summary>
    public async Task<string> WriteProbeRowsAsync(string tag, int rows = 100)
    {
        await SqlAsync(ProbeTable.InsertSql(tag, rows));
        return await ProbeFingerprintAsync();
    }

    public Task<string> ProbeFingerprintAsync() => SqlAsync(ProbeTable.FingerprintSql);

    /// <summary>pg_ctlcluster's restart: a fast shutdown (every session, walsenders included, is cut) and a start.</summary>
    public Task<string> RestartPrimaryAsync() => PgCtlClusterAsync("restart");

    public Task<string> StopPrimaryAsync() => PgCtlClusterAsync("stop");

    /// <summary>Starts the primary unless it runs: safe in a finally block.</summary>
    public async Task EnsurePrimaryRunningAsync()
    {
        var status = await Shell.RunAsync("pg_lsclusters", ["-h", "15", Cluster]);
        if (!status.Contains("online", StringComparison.Ordinal))
        {
            await PgCtlClusterAsync("start");
        }
    }

    private Task<string> PgCtlClusterAsync(string action) => Shell.RunAsync("pg_ctlcluster", ["15", Cluster, action], TimeSpan.FromMinutes(2));

    private async Task DisposeNetworkAsync()
    {
        if (Network is not null)
        {
            await Network.DisposeAsync();
        }
    }
}
