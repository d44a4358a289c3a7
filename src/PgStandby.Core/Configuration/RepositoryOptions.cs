namespace PgStandby.Core.Configuration;

/// <summary>Where the pgBackRest repository is: the primary host reached over SSH.</summary>
public sealed class RepositoryOptions : IBoundOptions
{
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
