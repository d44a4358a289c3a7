using System.Globalization;
using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Timelines;

/// <summary>
/// A hand-made standby of the world's primary that can be promoted: restored with pgBackRest
/// (--type=standby) from the world's repository, read locally (same machine, no SSH), run with pg_ctl
/// as postgres on its own port, and archiving to the same stanza once promoted.
/// </summary>
internal sealed class SecondNode : IAsyncDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin";

    private readonly PrimaryWorld _world;

    private SecondNode(PrimaryWorld world, string directory, string name)
    {
        _world = world;
        Directory = directory;
        Name = name;
        Port = FreePort.Next();
    }

    public string Directory { get; }

    public string Name { get; }

    public int Port { get; }

    public string DataDirectory => Path.Combine(Directory, "data");

    public string SocketDirectory => Path.Combine(Directory, "socket");

    public string PgBackRestConfig => Path.Combine(Directory, "pgbackrest.conf");

    public string LogFile => Path.Combine(Directory, "postgres.log");

    /// <summary>Restores the newest backup into a new folder and starts the node streaming from the primary (peer login over its socket).</summary>
    public static async Task<SecondNode> StartAsync(PrimaryWorld world, string name)
    {
        var node = new SecondNode(world, Path.Combine(world.Root, name), name);
        await node.RestoreAsync();
        await node.PgCtlAsync("start", "-l", node.LogFile);
        return node;
    }

    private async Task RestoreAsync()
    {
        await Shell.RunAsync("install", ["-d", "-o", "postgres", "-g", "postgres", "-m", "700", Directory, DataDirectory, SocketDirectory]);
        await File.WriteAllTextAsync(PgBackRestConfig, $"""
            [global]
            repo1-path={_world.RepoPath}
            log-path={Directory}/pgbackrest-log
            lock-path={Directory}/pgbackrest-lock

            [{_world.Stanza}]
            pg1-path={DataDirectory}
            pg1-port={Port}
            pg1-socket-path={SocketDirectory}

            """);
        await Shell.AsPostgresAsync("pgbackrest", ["--config=" + PgBackRestConfig, "--stanza=" + _world.Stanza, "--type=standby", "restore"], TimeSpan.FromMinutes(3));

        // A Debian primary's backup holds neither postgresql.conf nor pg_hba.conf: the node gets its own.
        // archive_mode=on archives nothing while the node is a standby, everything once it is promoted.
        var primary = _world.PgPort.ToString(CultureInfo.InvariantCulture);
        await WriteOwnedAsync("postgresql.conf", $"""
            listen_addresses = '127.0.0.1'
            port = {Port}
            unix_socket_directories = '{SocketDirectory}'
            wal_level = replica
            max_wal_senders = 10
            hot_standby = on
            archive_mode = on
            archive_command = 'pgbackrest --config={PgBackRestConfig} --stanza={_world.Stanza} archive-push %p'
            primary_conninfo = 'host=/var/run/postgresql port={primary} user=postgres application_name={Name}'
            recovery_target_timeline = 'latest'
            logging_collector = off

            """);
        await WriteOwnedAsync("pg_hba.conf", """
            local all all peer
            local replication all peer
            host replication replicator 127.0.0.1/32 md5
            host all all 127.0.0.1/32 md5

            """);
        await WriteOwnedAsync("pg_ident.conf", string.Empty);
    }

    private async Task WriteOwnedAsync(string name, string content)
    {
        var path = Path.Combine(DataDirectory, name);
        await File.WriteAllTextAsync(path, content);
        await Shell.RunAsync("chown", ["postgres:postgres", path]);
    }

    /// <summary>Runs SQL on the node as postgres and returns psql's unaligned output.</summary>
    public async Task<string> SqlAsync(string sql) =>
        (await Shell.AsPostgresAsync("psql", ["-X", "-At", "-v", "ON_ERROR_STOP=1", "-h", SocketDirectory, "-p", Port.ToString(CultureInfo.InvariantCulture), "-d", "postgres", "-c", sql])).Trim();

    /// <summary>pg_ctl promote: the node ends recovery on a new timeline and archives its history file.</summary>
    public Task PromoteAsync() => PgCtlAsync("promote");

    /// <summary>pg_ctl stop, fast: the node is lost.</summary>
    public Task StopAsync() => PgCtlAsync("stop", "-m", "fast");

    public bool IsRunning => File.Exists(Path.Combine(DataDirectory, "postmaster.pid"));

    private Task<string> PgCtlAsync(string action, params string[] more) =>
        Shell.AsPostgresAsync(Path.Combine(Bin, "pg_ctl"), ["-D", DataDirectory, "-w", "-t", "120", action, .. more], TimeSpan.FromMinutes(3));

    public async ValueTask DisposeAsync()
    {
        if (IsRunning)
        {
            await PgCtlAsync("stop", "-m", "immediate");
        }
    }
}
