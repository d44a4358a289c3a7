namespace PgStandby.Core.Configuration;

/// <summary>Where the pgBackRest repository is: the primary host, reached over SSH or pgBackRest's TLS server.</summary>
public sealed class RepositoryOptions : IBoundOptions
{
    /// <summary>pgBackRest's TLS server's port unless BACKREST_PRIMARY_TLS_PORT says otherwise.</summary>
    public const int DefaultTlsPort = 8432;

    /// <summary>BACKREST_REPO_TRANSPORT: ssh (the seed's) or tls (pgBackRest's TLS server, no SSH at all).</summary>
    public RepositoryTransport Transport { get; set; } = RepositoryTransport.Ssh;

    /// <summary>BACKREST_PRIMARY_TLS_PORT: the TLS server's port on the primary.</summary>
    public int TlsPort { get; set; } = DefaultTlsPort;

    /// <summary>BACKREST_PRIMARY_TLS_CA: the primary's CA certificate (PEM) to pin; null with no _FILE either = trust on first use.</summary>
    public string? TlsCaPem { get; set; }

    /// <summary>BACKREST_PRIMARY_TLS_CA_FILE: a file holding that PEM (read when it is used).</summary>
    public string? TlsCaFile { get; set; }

    /// <summary>The port the chosen transport reaches on the primary.</summary>
    public int TransportPort => Transport == RepositoryTransport.Tls ? TlsPort : SshPort;

    /// <summary>BACKREST_PRIMARY_HOST: host of the primary's pgBackRest repository (required).</summary>
    public string PrimaryHost { get; set; } = string.Empty;

    /// <summary>BACKREST_PRIMARY_USER: SSH user on the primary.</summary>
    public string SshUser { get; set; } = "postgres";

    /// <summary>BACKREST_PRIMARY_SSH_PORT.</summary>
    public int SshPort { get; set; } = 22;

    /// <summary>BACKREST_PRIMARY_HOST_KEY: a known_hosts line or a SHA256: fingerprint; unset = trust on first use.</summary>
    public string? PinnedHostKey { get; set; }

    /// <summary>BACKREST_STANZA.</summary>
    public string Stanza { get; set; } = "psql";

    /// <summary>BACKREST_REPO_PATH: repo1-path on the primary.</summary>
    public string RepoPath { get; set; } = "/var/lib/pgbackrest";

    /// <summary>BACKREST_PRIMARY_CONFIG: pgbackrest.conf path on the primary; null = pgBackRest's default.</summary>
    public string? PrimaryConfig { get; set; }

    public IList<string> Problems { get; } = [];
}
