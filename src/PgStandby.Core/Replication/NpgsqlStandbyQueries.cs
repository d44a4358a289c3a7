using Microsoft.Extensions.Options;
using Npgsql;
using Npgsql.Replication;
using NpgsqlTypes;
using PgStandby.Core.Configuration;

namespace PgStandby.Core.Replication;

/// <summary>
/// Queries the standby over its local socket as postgres, and the primary's current WAL position over
/// the replication protocol (IDENTIFY_SYSTEM): the seed's pg_hba lets the replication user do nothing else.
/// </summary>
public sealed class NpgsqlStandbyQueries(IOptions<StandbyOptions> standby, IOptions<ReplicationOptions> replication, TimeProvider time) : IStandbyQueries
{
    /// <summary>
    /// While the WAL receiver streams, its latest_end_lsn is the primary's WAL end as of the primary's last
    /// message, so the primary itself is asked this often only: each ask is a new replication login
    /// (TLS and SCRAM on both hosts, and a walsender for a moment). Not streaming, every sample asks.
    /// </summary>
    public static readonly TimeSpan AskPrimaryWhileStreamingEvery = TimeSpan.FromSeconds(30);

    private DateTimeOffset _nextPrimaryAsk = DateTimeOffset.MinValue;
    private bool _lastAskFailed;

    private const string SampleSql = """
        SELECT pg_is_in_recovery(),
               pg_last_wal_receive_lsn(),
               pg_last_wal_replay_lsn(),
               CASE
                   WHEN pg_last_wal_receive_lsn() IS NOT NULL AND pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() THEN 0
                   ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8
               END,
               r.status,
               r.sender_host,
               r.latest_end_lsn,
               CASE WHEN pg_is_in_recovery() THEN pg_is_wal_replay_paused() ELSE false END,
               EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8,
               CASE WHEN pg_is_in_recovery() THEN GREATEST(
                   (pg_control_checkpoint()).timeline_id,
                   (pg_control_recovery()).min_recovery_end_timeline,
                   r.received_tli,
                   (SELECT max(('x' || substr(name, 1, 8))::bit(32)::int) FROM pg_ls_waldir() WHERE name ~ '^[0-9A-F]{24}$')) END,
               (SELECT setting::bigint FROM pg_settings WHERE name = 'wal_segment_size')
        FROM (SELECT 1) AS one
        LEFT JOIN pg_stat_wal_receiver AS r ON true
        """;

    /// <summary>A new connection every time: whether postgres accepts connections now, not a pooled answer.</summary>
    private string ProbeConnectionString => LocalConnection(pooling: false);

    /// <summary>One physical connection kept between samples (closed after 5 idle minutes): no new backend every sample.</summary>
    private string SampleConnectionString => LocalConnection(pooling: true);

    private string LocalConnection(bool pooling) => LocalConnectionString(standby.Value, pooling);

    /// <summary>postgres over the standby's own socket (peer, mapped for root): the worker's and the CLI's connection.</summary>
    internal static string LocalConnectionString(StandbyOptions options, bool pooling) => new NpgsqlConnectionStringBuilder
    {
        Host = options.SocketDirectory,
        Port = options.Port,
        Username = "postgres",
        Database = "postgres",
        Timeout = 5,
        Pooling = pooling,
        MaxPoolSize = 1,
        ApplicationName = "pgstandby",
    }.ConnectionString;

    public async Task<bool> IsAcceptingConnectionsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(ProbeConnectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    public async Task<ReplicationSample> SampleAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(SampleConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(SampleSql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);

        var inRecovery = reader.GetBoolean(0);
        NpgsqlLogSequenceNumber? received = reader.IsDBNull(1) ? null : reader.GetFieldValue<NpgsqlLogSequenceNumber>(1);
        NpgsqlLogSequenceNumber? replayed = reader.IsDBNull(2) ? null : reader.GetFieldValue<NpgsqlLogSequenceNumber>(2);
        double? seconds = reader.IsDBNull(3) ? null : Math.Max(0, reader.GetDouble(3));
        var status = reader.IsDBNull(4) ? null : reader.GetString(4);
        var sender = reader.IsDBNull(5) ? null : reader.GetString(5);
        NpgsqlLogSequenceNumber? latestEnd = reader.IsDBNull(6) ? null : reader.GetFieldValue<NpgsqlLogSequenceNumber>(6);
        var paused = !reader.IsDBNull(7) && reader.GetBoolean(7);
        double? replayAge = reader.IsDBNull(8) ? null : Math.Max(0, reader.GetDouble(8));
        int? replayTimeline = reader.IsDBNull(9) ? null : reader.GetInt32(9);
        long? segmentBytes = reader.IsDBNull(10) ? null : reader.GetInt64(10);

        NpgsqlLogSequenceNumber? primary = null;
        string? problem = null;
        var now = time.GetUtcNow();
        if (status != "streaming" || _lastAskFailed || now >= _nextPrimaryAsk)
        {
            (primary, problem) = await PrimaryPositionAsync(cancellationToken).ConfigureAwait(false);
            _lastAskFailed = primary is null;
            _nextPrimaryAsk = now + AskPrimaryWhileStreamingEvery;
        }

        // Without the primary's own position the lag is unknown: during a partition the WAL receiver's
        // last position only says how far this standby got, not how far behind the primary it is.
        var reference = primary ?? (problem is null ? latestEnd ?? received : null);
        long? lagBytes = reference is { } end && replayed is { } done
            ? (long)((ulong)end > (ulong)done ? (ulong)end - (ulong)done : 0)
            : null;
        return new ReplicationSample(inRecovery, received?.ToString(), replayed?.ToString(), lagBytes, LagSeconds(lagBytes, seconds), status, sender, primary is not null)
        {
            RecoveryPaused = paused,
            StreamingProblem = problem,
            LastReplayAgeSeconds = replayAge,
            ReplayTimeline = replayTimeline is > 0 ? replayTimeline : null,
            WalSegmentBytes = segmentBytes,
        };
    }

    /// <summary>
    /// The lag in seconds is the age of the last replayed commit only while the standby is behind a known position:
    /// unknown with the lag in bytes (login refused, partition: the state and the stall detector speak for those),
    /// 0 once everything is replayed. Otherwise an idle primary would make an up-to-date standby look lagging.
    /// </summary>
    internal static double? LagSeconds(long? lagBytes, double? secondsBehind) => lagBytes switch
    {
        null => null,
        0 => 0,
        _ => secondsBehind,
    };

    /// <summary>PG_PRIMARY_SSLMODE, as libpq spells it, for Npgsql.</summary>
    private static SslMode SslModeOf(string mode) => mode switch
    {
        "disable" => SslMode.Disable,
        "allow" => SslMode.Allow,
        "require" => SslMode.Require,
        "verify-ca" => SslMode.VerifyCA,
        "verify-full" => SslMode.VerifyFull,
        _ => SslMode.Prefer,
    };

    public async Task<StandbyPosition?> ReplayPositionAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(SampleConnectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT pg_last_wal_replay_lsn()::text, (SELECT received_tli FROM pg_stat_wal_receiver)::text", connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return reader.IsDBNull(0) || !Timelines.Lsn.TryParse(reader.GetString(0), out var replayed)
                ? null
                : new StandbyPosition(replayed, reader.IsDBNull(1) ? null : int.Parse(reader.GetString(1), System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (NpgsqlException)
        {
            return null; // not accepting connections (yet, or any more): pg_control speaks alone
        }
    }

    public async Task<PrimaryTimeline> PrimaryTimelineAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new PhysicalReplicationConnection(PrimaryConnectionString("pgstandby-timeline"));
            await connection.Open(cancellationToken).ConfigureAwait(false);
            var system = await connection.IdentifySystem(cancellationToken).ConfigureAwait(false);
            // TIMELINE_HISTORY is not asked here: PostgreSQL 15 declares its content column as text, which Npgsql
            // 10 reads as bytea and fails (InvalidCastException). The history comes from the archive instead.
            return new PrimaryTimeline(checked((int)system.Timeline), null);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return new PrimaryTimeline(null, PrimaryLoginProblem(exception));
        }
    }

    public async Task<PrimaryAnswer> AskPrimaryAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new PhysicalReplicationConnection(PrimaryConnectionString("pgstandby-old-primary"));
            await connection.Open(cancellationToken).ConfigureAwait(false);
            var hotStandby = await connection.Show("in_hot_standby", cancellationToken).ConfigureAwait(false);
            return new PrimaryAnswer(true, string.Equals(hotStandby, "off", StringComparison.Ordinal), null);
        }
        catch (PostgresException refused)
        {
            return new PrimaryAnswer(true, null, PrimaryLoginProblem(refused));
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return new PrimaryAnswer(false, null, PrimaryLoginProblem(exception));
        }
    }

    /// <summary>
    /// The primary's current WAL position through the replication login the standby itself uses, or why
    /// that login fails (wrong host, password, or pg_hba line): the reason streaming is unavailable.
    /// </summary>
    private async Task<(NpgsqlLogSequenceNumber? Position, string? Problem)> PrimaryPositionAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new PhysicalReplicationConnection(PrimaryConnectionString("pgstandby-lag"));
            await connection.Open(cancellationToken).ConfigureAwait(false);
            var system = await connection.IdentifySystem(cancellationToken).ConfigureAwait(false);
            return (system.XLogPos, null);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return (null, PrimaryLoginProblem(exception));
        }
    }

    /// <summary>The replication login the standby itself uses.</summary>
    private string PrimaryConnectionString(string applicationName)
    {
        var options = replication.Value;
        return new NpgsqlConnectionStringBuilder
        {
            Host = options.PrimaryHost,
            Port = options.PrimaryPort,
            Username = options.User,
            Password = options.Password,
            Timeout = 5,
            ApplicationName = applicationName,
            SslMode = SslModeOf(options.SslMode),
            RootCertificate = options.SslRootCert,
        }.ConnectionString;
    }

    private string PrimaryLoginProblem(Exception exception)
    {
        var options = replication.Value;
        return exception is PostgresException refused
            ? $"the primary refuses the replication login of {options.User}: {refused.MessageText} (SQLSTATE {refused.SqlState})"
            : $"cannot connect to {options.PrimaryAddress}: {(exception.InnerException ?? exception).Message}";
    }
}
