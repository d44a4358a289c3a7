namespace PgStandby.Core.Configuration;

/// <summary>How the standby streams from the primary PostgreSQL.</summary>
public sealed class ReplicationOptions : IBoundOptions
{
    /// <summary>PG_PRIMARY_HOST.</summary>
    public string PrimaryHost { get; set; } = "postgres_master";

    /// <summary>PG_PRIMARY_PORT.</summary>
    public int PrimaryPort { get; set; } = 5432;

    /// <summary>"host:port" of the primary's PostgreSQL, as the status and the log name it.</summary>
    public string PrimaryAddress => $"{PrimaryHost}:{PrimaryPort}";

    /// <summary>PG_REPLICATION_USER.</summary>
    public string User { get; set; } = "replicator";

    /// <summary>PG_REPLICATION_PASSWORD, or the content of PG_REPLICATION_PASSWORD_FILE: kept in memory and in the passfile only.</summary>
    public string Password { get; set; } = DefaultPassword;

    /// <summary>The seed's default password: well known, so a warning at every start while it is in use.</summary>
    public const string DefaultPassword = "replication";

    /// <summary>PG_PRIMARY_SSLMODE: libpq's sslmode for the replication connection, one of <see cref="SslModes"/>.</summary>
    public string SslMode { get; set; } = "prefer";

    /// <summary>PG_PRIMARY_SSLROOTCERT: the CA certificate that verifies the primary; required by verify-ca and verify-full.</summary>
    public string? SslRootCert { get; set; }

    /// <summary>PG_SLAVE_NAME, or its newer spelling PG_STANDBY_NAME: application_name on the primary.</summary>
    public string ApplicationName { get; set; } = "slave";

    /// <summary>https://www.postgresql.org/docs/15/libpq-ssl.html#LIBPQ-SSL-SSLMODE-STATEMENTS</summary>
    public static IReadOnlyList<string> SslModes { get; } = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"];

    /// <summary>True when libpq checks the primary's certificate against <see cref="SslRootCert"/>.</summary>
    public bool VerifiesPrimary => SslMode is "verify-ca" or "verify-full";

    public IList<string> Problems { get; } = [];
}
