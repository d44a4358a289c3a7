using System.Text.Json.Serialization;
using PgStandby.Core.Postgres;

namespace PgStandby.Core.Health;

/// <summary>What the status file holds: the worker's state, its verdict, and the figures behind it.</summary>
public sealed record StatusSnapshot
{
    [JsonPropertyName("state")]
    public required string State { get; init; }

    [JsonPropertyName("since")]
    public required DateTimeOffset Since { get; init; }

    [JsonPropertyName("reason")]
    public required string Reason { get; init; }

    [JsonPropertyName("next_step")]
    public required string NextStep { get; init; }

    /// <summary>The worker's own verdict; <c>pgstandby health</c> reads it and does not recompute it.</summary>
    [JsonPropertyName("healthy")]
    public bool Healthy { get; init; }

    /// <summary>The stricter verdict of <c>pgstandby health --ready</c>: streaming and within the lag limits.</summary>
    [JsonPropertyName("ready")]
    public bool Ready { get; init; }

    [JsonPropertyName("lag_bytes")]
    public long? LagBytes { get; init; }

    [JsonPropertyName("lag_seconds")]
    public double? LagSeconds { get; init; }

    /// <summary>What the lag is measured against: "primary" (its WAL position), "archive" (the repository's newest WAL, when the primary cannot be asked), or null while the lag is unknown.</summary>
    [JsonPropertyName("lag_against")]
    public string? LagAgainst { get; init; }

    /// <summary>Seconds since the last replayed transaction was committed on the primary; grows on an idle primary too.</summary>
    [JsonPropertyName("last_replay_age_seconds")]
    public double? LastReplayAgeSeconds { get; init; }

    [JsonPropertyName("restore_percent")]
    public double? RestorePercent { get; init; }

    [JsonPropertyName("restore_bytes_done")]
    public long? RestoreBytesDone { get; init; }

    [JsonPropertyName("restore_bytes_total")]
    public long? RestoreBytesTotal { get; init; }

    /// <summary>When the running restore or re-sync began; null when none runs.</summary>
    [JsonPropertyName("restore_started_at")]
    public DateTimeOffset? RestoreStartedAt { get; init; }

    /// <summary>How long the last finished restore or re-sync took.</summary>
    [JsonPropertyName("last_restore_seconds")]
    public double? LastRestoreSeconds { get; init; }

    [JsonPropertyName("received_lsn")]
    public string? ReceivedLsn { get; init; }

    [JsonPropertyName("replayed_lsn")]
    public string? ReplayedLsn { get; init; }

    [JsonPropertyName("wal_receiver")]
    public string? WalReceiver { get; init; }

    [JsonPropertyName("primary_host")]
    public string? PrimaryHost { get; init; }

    /// <summary>The account pgBackRest logs in as on the primary (BACKREST_PRIMARY_USER): the read-only one, or postgres.</summary>
    [JsonPropertyName("primary_ssh_user")]
    public string? PrimarySshUser { get; init; }

    /// <summary>How the repository is reached: ssh or tls (BACKREST_REPO_TRANSPORT).</summary>
    [JsonPropertyName("transport")]
    public string? Transport { get; init; }

    /// <summary>With tls: the client certificate the worker presents (subject, end of validity, fingerprint), once one was accepted.</summary>
    [JsonPropertyName("tls_certificate")]
    public TlsCertificateStatus? TlsCertificate { get; init; }

    /// <summary>The primary's SSH host key the worker accepted: type, SHA256 fingerprint and why it was trusted; with tls, the pinned CA.</summary>
    [JsonPropertyName("primary_host_key")]
    public string? PrimaryHostKey { get; init; }

    [JsonPropertyName("pgbackrest_version")]
    public string? PgBackRestVersion { get; init; }

    [JsonPropertyName("postgres_version")]
    public string? PostgresVersion { get; init; }

    /// <summary>Unexpected exits of postgres the worker restarted it after, since the worker started.</summary>
    [JsonPropertyName("postgres_restarts")]
    public int PostgresRestarts { get; init; }

    [JsonPropertyName("public_key")]
    public string? PublicKey { get; init; }

    /// <summary>When, how and from where this node was promoted; null on a standby.</summary>
    [JsonPropertyName("promotion")]
    public PromotionRecord? Promotion { get; init; }

    /// <summary>On a promoted node: whether the old primary answers as a primary again (null: not asked yet, or not promoted).</summary>
    [JsonPropertyName("old_primary_writable")]
    public bool? OldPrimaryWritable { get; init; }

    [JsonPropertyName("pid")]
    public int Pid { get; init; }

    [JsonPropertyName("updated_at")]
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The worker rewrites the file before this time while it runs; after it, the status is stale (unhealthy).</summary>
    /// <summary>
    /// Whether the worker that wrote this was still rewriting it at <paramref name="now"/>: its heartbeat (every
    /// stage, every monitor interval) is alive. The health check and the systemd watchdog both go by it.
    /// </summary>
    public bool IsFreshAt(DateTimeOffset now) => StaleAfter is not { } staleAfter || now <= staleAfter;

    [JsonPropertyName("stale_after")]
    public DateTimeOffset? StaleAfter { get; init; }
}
