using System.Globalization;
using Microsoft.Extensions.Options;
using Npgsql;
using PgStandby.Core.Configuration;
using PgStandby.Core.Replication;

namespace PgStandby.Core.Promotion;

/// <summary>The local postgres through Npgsql, a new connection each time (promotion is rare; answers must be current).</summary>
public sealed class NpgsqlLocalNode(IOptions<StandbyOptions> standby) : ILocalNode
{
    // pg_current_wal_lsn() fails during recovery: asked only out of it. The file name's first 8 digits are the timeline.
    private const string FactsSql = """
        SELECT pg_is_in_recovery(),
               (SELECT system_identifier FROM pg_control_system())::text,
               CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_walfile_name(pg_current_wal_lsn()) END,
               pg_last_wal_replay_lsn()::text,
               current_setting('default_transaction_read_only') = 'on'
        """;

    private string ConnectionString => NpgsqlStandbyQueries.LocalConnectionString(standby.Value, pooling: false);

    public async Task<NodeFacts?> FactsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(FactsSql, connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            int? timeline = reader.IsDBNull(2) ? null : int.Parse(reader.GetString(2)[..8], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            return new NodeFacts(
                reader.GetBoolean(0),
                ulong.Parse(reader.GetString(1), CultureInfo.InvariantCulture),
                timeline,
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetBoolean(4));
        }
        catch (NpgsqlException)
        {
            return null;
        }
    }

    public async Task<bool> PromoteAsync(int waitSeconds, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT pg_promote(true, $1)", connection) { CommandTimeout = waitSeconds + 30 };
        command.Parameters.AddWithValue(waitSeconds);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT pg_reload_conf()", connection);
        await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }
}
