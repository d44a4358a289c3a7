namespace PgStandby.Core.Configuration;

/// <summary>How the standby streams from the primary PostgreSQL.</summary>
public sealed class ReplicationOptions : IBoundOptions
{
    /// <summary>PG_PRIMARY_HOST.</summary>
    public string PrimaryHost { get; set; } = "postgres_master";

    /// <summary>PG_PRIMARY_PORT.</summary>
    public int PrimaryPort { get; set; } = 5432;

    /// <summary>PG_REPLICATION_USER.</summary>
    public string User { get; set; } = "replicator";

    /// <summary>PG_REPLICATION_PASSWORD: kept in memory and in the passfile only.</summary>
    public string Password { get; set; } = "replication";

    /// <summary>PG_SLAVE_NAME, or its newer spelling PG_STANDBY_NAME: application_name on the primary.</summary>
    public string ApplicationName { get; set; } = "slave";

    public IList<string> Problems { get; } = [];
}
