namespace PgStandby.Core.Configuration;

/// <summary>Paths of the files the worker renders in its run folder, outside PGDATA.</summary>
public sealed record RunFiles(string RunDirectory)
{
    public RunFiles(StandbyOptions options)
        : this(options.RunDirectory)
    {
    }

    public string PostgresConf => Path.Combine(RunDirectory, "postgresql.conf");

    public string HbaConf => Path.Combine(RunDirectory, "pg_hba.conf");

    public string IdentConf => Path.Combine(RunDirectory, "pg_ident.conf");

    public string Passfile => Path.Combine(RunDirectory, "pgpass");

    public string SshConfig => Path.Combine(RunDirectory, "ssh_config");

    public string SshWrapper => Path.Combine(RunDirectory, "ssh");

    /// <summary>The Unix socket through which one pgBackRest command's SSH connections share the first one.</summary>
    public string SshControlSocket => Path.Combine(RunDirectory, "ssh-mux");

    /// <summary>
    /// OpenSSH binds the socket under a name 17 characters longer (".", then 16 random ones), and a Unix
    /// socket's path holds at most 107: a longer run folder turns multiplexing off.
    /// </summary>
    public const int MaxControlSocketLength = 107 - 17;

    /// <summary>The control socket when its path is short enough for OpenSSH; otherwise null (no multiplexing).</summary>
    public string? UsableSshControlSocket => SshControlSocket.Length <= MaxControlSocketLength ? SshControlSocket : null;

    /// <summary>A copy of PGSTANDBY_TLS_CERT, the client certificate pgBackRest presents to the primary's TLS server when it is given in a variable.</summary>
    public string TlsCertificate => Path.Combine(RunDirectory, "tls-client.crt");

    /// <summary>A copy of BACKREST_PRIMARY_TLS_CA, the primary's CA pgBackRest checks the TLS server's certificate against, when it is given in a variable.</summary>
    public string TlsCa => Path.Combine(RunDirectory, "tls-primary-ca.crt");
}
