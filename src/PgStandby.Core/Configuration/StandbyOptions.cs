namespace PgStandby.Core.Configuration;

/// <summary>The standby's own folders, port and binaries.</summary>
public sealed class StandbyOptions : IBoundOptions
{
    /// <summary>PGDATA.</summary>
    public string DataDirectory { get; set; } = "/var/lib/postgresql/data";

    /// <summary>PG_PORT: the standby's own port.</summary>
    public int Port { get; set; } = 5432;

    /// <summary>PG_BIN_DIR: PostgreSQL 15's binaries; found when unset.</summary>
    public string BinDirectory { get; set; } = "/usr/lib/postgresql/15/bin";

    /// <summary>PG_SOCKET_DIR: where the standby's Unix socket lives.</summary>
    public string SocketDirectory { get; set; } = "/run/postgresql";

    /// <summary>BACKREST_CONFIG: the local pgbackrest.conf the worker renders.</summary>
    public string PgBackRestConfig { get; set; } = "/etc/pgbackrest/pgbackrest.conf";

    /// <summary>BACKREST_PROCESS_MAX: parallel processes for restore and archive-get.</summary>
    public int ProcessMax { get; set; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>BACKREST_LOG_PATH.</summary>
    public string PgBackRestLogPath { get; set; } = "/var/log/pgbackrest";

    /// <summary>BACKREST_SPOOL_PATH.</summary>
    public string PgBackRestSpoolPath { get; set; } = "/var/spool/pgbackrest";

    /// <summary>
    /// BACKREST_ARCHIVE_GET_QUEUE_MAX, in bytes: how much WAL pgBackRest's asynchronous archive-get may fetch
    /// ahead into the spool while the standby catches up from the archive.
    /// </summary>
    public long ArchiveGetQueueMax { get; set; } = 1L << 30;

    /// <summary>BACKREST_LOCK_PATH.</summary>
    public string PgBackRestLockPath { get; set; } = "/tmp/pgbackrest";

    /// <summary>PGSTANDBY_SSH_DIR: the standby's key pair and known_hosts.</summary>
    public string SshDirectory { get; set; } = "/var/lib/postgresql/.ssh";

    /// <summary>
    /// PGSTANDBY_TLS_DIR: the TLS client's key, request, certificate and pinned CA (BACKREST_REPO_TRANSPORT=tls);
    /// the SSH folder unless set, so that the seed's three persistent folders still hold everything.
    /// </summary>
    public string TlsDirectory { get; set; } = "/var/lib/postgresql/.ssh";

    /// <summary>PGSTANDBY_TLS_CERT: the signed client certificate (PEM, a bundle with its CA allowed), instead of a file in the TLS folder.</summary>
    public string? TlsCertificatePem { get; set; }

    /// <summary>PGSTANDBY_TLS_CERT_FILE: a file holding that PEM (read when it is used).</summary>
    public string? TlsCertificateFile { get; set; }

    /// <summary>PGSTANDBY_RUN_DIR: status file, rendered settings, passfile; rewritten on every start.</summary>
    public string RunDirectory { get; set; } = "/run/pgstandby";

    /// <summary>PGSTANDBY_STATE_DIR: what the worker remembers across restarts (the verified identity).</summary>
    public string StateDirectory { get; set; } = "/var/lib/pgbackrest/pgstandby";

    /// <summary>PG_SETTINGS: the operator's own postgresql.conf settings, in the order given; never a managed one.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ExtraSettings { get; set; } = [];

    /// <summary>PG_SETTINGS_DIR: a folder of postgresql.conf files included after the worker's settings; null = none.</summary>
    public string? SettingsDirectory { get; set; }

    /// <summary>PG_HBA: pg_hba.conf rules in place of the backup's own and of the defaults; null = those stand.</summary>
    public IReadOnlyList<string>? HbaRules { get; set; }

    public IList<string> Problems { get; } = [];
}
