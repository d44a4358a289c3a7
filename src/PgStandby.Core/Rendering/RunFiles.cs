using PgStandby.Core.Configuration;

namespace PgStandby.Core.Rendering;

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
}
