using System.Diagnostics.Metrics;
using PgStandby.Core.Diagnostics;

namespace PgStandby.Core.Health;

/// <summary>
/// The worker's metrics on the one Meter <c>PgStandby</c>, read from the shared health state when exported.
/// Names follow postgres_exporter (<c>pg_replication_*</c>) where it has one, <c>pgstandby_*</c> for the worker's own;
/// no unit is set so Prometheus exports keep these exact names.
/// </summary>
public sealed class StandbyMetrics
{
    private static readonly StandbyState[] States = Enum.GetValues<StandbyState>();

    private readonly HealthState _health;

    public StandbyMetrics(HealthState health)
    {
        _health = health;
        var meter = Telemetry.Meter;
        meter.CreateObservableGauge("pg_replication_lag_bytes", () => Optional(_health.Current.LagBytes), description: "Replay lag in bytes: the primary's current WAL position (or, when the primary cannot be asked, the end of the archive's newest WAL) minus the standby's replayed position");
        meter.CreateObservableGauge("pg_replication_lag_seconds", () => Optional(_health.Current.LagSeconds), description: "Replay lag in seconds; 0 when everything received has been replayed");
        meter.CreateObservableGauge("pg_replication_is_replica", () => Optional(_health.LastSample is { } s ? (s.InRecovery ? 1 : 0) : (int?)null), description: "1 when postgres is in recovery (a standby)");
        meter.CreateObservableGauge("pgstandby_ready", () => _health.Current.Ready ? 1 : 0, description: "The worker's readiness verdict (what pgstandby health --ready exits 0 on)");
        meter.CreateObservableGauge("pgstandby_wal_receiver_connected", () => Optional(_health.LastSample is { } s ? (s.WalReceiverStatus == "streaming" ? 1 : 0) : (int?)null), description: "1 when the WAL receiver streams from the primary");
        meter.CreateObservableGauge("pgstandby_recovery_paused", () => Optional(_health.LastSample is { } s ? (s.RecoveryPaused ? 1 : 0) : (int?)null), description: "1 when replay is paused (pg_wal_replay_pause)");
        meter.CreateObservableGauge("pgstandby_restore_bytes_done", () => Optional(_health.Current.RestoreBytesDone), description: "Bytes restored so far by the running restore");
        meter.CreateObservableGauge("pgstandby_restore_bytes_total", () => Optional(_health.Current.RestoreBytesTotal), description: "Estimated size of the backup being restored");
        meter.CreateObservableGauge("pgstandby_restore_percent", () => Optional(_health.Current.RestorePercent), description: "Share of the backup restored, as pgBackRest reports it");
        meter.CreateObservableGauge("pgstandby_restore_duration_seconds", () => Optional(_health.RestoreDuration?.TotalSeconds), description: "Seconds the running restore or re-sync has taken so far, else how long the last one took");
        meter.CreateObservableGauge("pgstandby_last_replay_age_seconds", () => Optional(_health.Current.LastReplayAgeSeconds), description: "Seconds since the last replayed transaction was committed on the primary (grows on an idle primary too)");
        meter.CreateObservableCounter("pgstandby_postgres_restarts", () => (long)_health.PostgresRestarts, description: "Unexpected exits of postgres the worker restarted it after");
        meter.CreateObservableGauge("pgstandby_old_primary_writable", () => Optional(_health.Current.OldPrimaryWritable is { } w ? (w ? 1 : 0) : (int?)null), description: "On a promoted node: 1 when the old primary answers as a primary again (clients writing there diverge from this node)");
        meter.CreateObservableGauge("pgstandby_tls_certificate_expiry_seconds", () => Optional(_health.Current.TlsCertificate is { } c ? (c.NotAfter - DateTimeOffset.UtcNow).TotalSeconds : (double?)null), description: "With BACKREST_REPO_TRANSPORT=tls: seconds until the standby's client certificate expires (negative once expired)");
        meter.CreateObservableGauge("pgstandby_healthy", () => _health.Current.Healthy ? 1 : 0, description: "The worker's health verdict (what pgstandby health exits 0 on)");
        meter.CreateObservableGauge("pgstandby_state", StateMeasurements, description: "1 for the worker's current state, 0 for the others");
        meter.CreateObservableGauge("pgstandby_state_seconds", () => (_health.Current.UpdatedAt - _health.Current.Since).TotalSeconds, description: "Seconds the worker has been in its current state");
    }

    private static IEnumerable<Measurement<T>> Optional<T>(T? value)
        where T : struct => value is { } v ? [new Measurement<T>(v)] : [];

    private IEnumerable<Measurement<int>> StateMeasurements()
    {
        var current = _health.State;
        return States.Select(s => new Measurement<int>(s == current ? 1 : 0, new KeyValuePair<string, object?>("state", s.Name())));
    }
}
