namespace PgStandby.Core.Configuration;

/// <summary>How pgBackRest on the standby reaches the primary's repository (BACKREST_REPO_TRANSPORT).</summary>
public enum RepositoryTransport
{
    /// <summary>SSH with the standby's key, as the seed does: pgBackRest starts its remote through sshd.</summary>
    Ssh,

    /// <summary>pgBackRest's TLS server on the primary, the standby authenticated by a client certificate: no SSH anywhere.</summary>
    Tls,
}
