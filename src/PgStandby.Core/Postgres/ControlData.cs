using System.Globalization;

namespace PgStandby.Core.Postgres;

/// <summary>The fields of pg_controldata's output the worker needs (read with LC_ALL=C so labels are English).</summary>
public sealed record ControlData(ulong SystemId, string ClusterState)
{
    /// <summary>"max_connections setting": the primary's value, as last replayed; a hot standby needs at least as many.</summary>
    public int? MaxConnections { get; init; }

    /// <summary>"max_worker_processes setting".</summary>
    public int? MaxWorkerProcesses { get; init; }

    /// <summary>"max_wal_senders setting".</summary>
    public int? MaxWalSenders { get; init; }

    /// <summary>"max_prepared_xacts setting": the primary's max_prepared_transactions.</summary>
    public int? MaxPreparedTransactions { get; init; }

    /// <summary>"max_locks_per_xact setting": the primary's max_locks_per_transaction.</summary>
    public int? MaxLocksPerTransaction { get; init; }

    /// <summary>"Latest checkpoint's REDO WAL file": the first segment postgres reads when it starts.</summary>
    public string? RedoWalFile { get; init; }

    /// <summary>"Bytes per WAL segment".</summary>
    public long? WalSegmentBytes { get; init; }

    /// <summary>"Latest checkpoint location" (a restartpoint on a standby): replay has passed it.</summary>
    public ulong? CheckpointLocation { get; init; }

    /// <summary>"Latest checkpoint's TimeLineID".</summary>
    public int? CheckpointTimeline { get; init; }

    /// <summary>"Minimum recovery ending location": replay must reach it before the standby is consistent; 0/0 when unset.</summary>
    public ulong? MinRecoveryPoint { get; init; }

    /// <summary>"Min recovery ending loc's timeline"; 0 when unset.</summary>
    public int? MinRecoveryTimeline { get; init; }

    public static ControlData? Parse(string output)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
            {
                fields[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        if (!fields.TryGetValue("Database system identifier", out var id)
            || !ulong.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var systemId))
        {
            return null;
        }

        return new ControlData(systemId, fields.GetValueOrDefault("Database cluster state", string.Empty))
        {
            MaxConnections = Setting(fields, "max_connections setting"),
            MaxWorkerProcesses = Setting(fields, "max_worker_processes setting"),
            MaxWalSenders = Setting(fields, "max_wal_senders setting"),
            MaxPreparedTransactions = Setting(fields, "max_prepared_xacts setting"),
            MaxLocksPerTransaction = Setting(fields, "max_locks_per_xact setting"),
            RedoWalFile = fields.GetValueOrDefault("Latest checkpoint's REDO WAL file") is { Length: 24 } redo ? redo : null,
            WalSegmentBytes = Setting(fields, "Bytes per WAL segment"),
            CheckpointLocation = Position(fields, "Latest checkpoint location"),
            CheckpointTimeline = Setting(fields, "Latest checkpoint's TimeLineID"),
            MinRecoveryPoint = Position(fields, "Minimum recovery ending location"),
            MinRecoveryTimeline = Setting(fields, "Min recovery ending loc's timeline"),
        };
    }

    private static ulong? Position(Dictionary<string, string> fields, string label) =>
        Timelines.Lsn.TryParse(fields.GetValueOrDefault(label), out var lsn) ? lsn : null;

    private static int? Setting(Dictionary<string, string> fields, string label) =>
        fields.TryGetValue(label, out var value) && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;
}
