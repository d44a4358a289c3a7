using System.Globalization;

namespace PgStandby.IntegrationTests.World;

/// <summary>
/// One real primary per test collection, built by tests/world/primary-up.sh with the operators' own
/// deploy/primary/setup-primary.sh: a PostgreSQL 15 cluster archiving through pgBackRest, stanza psql,
/// the replicator user, a full backup, and a dedicated sshd on loopback. Plus the published pgstandby.
/// </summary>
public sealed class PrimaryWorld : IAsyncLifetime
{
    private Dictionary<string, string> _values = [];

    public string Root { get; } = Path.Combine("/tmp", "pgstandby-it-" + Guid.NewGuid().ToString("N")[..8]);

    public string Binary { get; private set; } = string.Empty;

    public int PgPort => int.Parse(_values["PG_PORT"], CultureInfo.InvariantCulture);

    public int SshPort => int.Parse(_values["SSH_PORT"], CultureInfo.InvariantCulture);

    public string Stanza => _values["STANZA"];

    public string PgBackRestConfig => _values["PGBACKREST_CONFIG"];

    public string RepoPath => _values["REPO_PATH"];

    public string ReplicationPassword { get; private set; } = string.Empty;

    public string HostKey => _values["HOST_KEY_PUB"];

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
        var output = await Shell.RunAsync(Script("primary-up.sh"), [Root, FreePort.Next().ToString(CultureInfo.InvariantCulture), FreePort.Next().ToString(CultureInfo.InvariantCulture)]);
        _values = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
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

        if (Directory.Exists(Root) && !Prerequisites.IsCi)
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    /// <summary>Runs SQL on the primary as postgres and returns psql's unaligned output.</summary>
    public async Task<string> SqlAsync(string sql) =>
        (await Shell.AsPostgresAsync("psql", ["-X", "-At", "-v", "ON_ERROR_STOP=1", "-h", "/var/run/postgresql", "-p", PgPort.ToString(CultureInfo.InvariantCulture), "-d", "postgres", "-c", sql])).Trim();

    public Task BackupAsync() =>
        Shell.AsPostgresAsync("pgbackrest", ["--config=" + PgBackRestConfig, "--stanza=" + Stanza, "--type=full", "--start-fast", "backup"]);

    /// <summary>Authorizes a standby's key on the primary, restricted to pgBackRest, with the operators' script.</summary>
    public Task AuthorizeAsync(string publicKey) => Shell.RunAsync(Script("authorize-key.sh"), [Root, publicKey]);

    /// <summary>A new standby with its own folders and port, not yet started.</summary>
    public StandbyProcess NewStandby(string name) => new(this, Path.Combine(Root, name), FreePort.Next(), name);
}
