namespace PgStandby.Core.Tls;

/// <summary>Where the pinned CA came from, which decides the fix a message names.</summary>
public enum TlsCaPinSource
{
    /// <summary>BACKREST_PRIMARY_TLS_CA or BACKREST_PRIMARY_TLS_CA_FILE.</summary>
    Variable,

    /// <summary>pgstandby-tls-ca.crt, pinned at an earlier start.</summary>
    Recorded,

    /// <summary>Trust on first use: the last CA certificate of the placed bundle.</summary>
    Bundle,
}
