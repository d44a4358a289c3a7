using PgStandby.Core.Postgres;

namespace PgStandby.Core.Rendering;

/// <summary>
/// A setting a hot standby must keep at least as high as the primary's, or recovery stops: the primary's
/// values travel in WAL and land in pg_control.
/// https://www.postgresql.org/docs/15/hot-standby.html#HOT-STANDBY-ADMIN
/// </summary>
internal sealed record HotStandbyLimit(string Name, int Default, int Min, int Max, Func<ControlData, int?> Primary)
{
    /// <summary>PostgreSQL 15's defaults and ranges (postgres --describe-config).</summary>
    public static IReadOnlyList<HotStandbyLimit> All { get; } =
    [
        new("max_connections", 100, 1, 262143, c => c.MaxConnections),
        new("max_worker_processes", 8, 0, 262143, c => c.MaxWorkerProcesses),
        new("max_wal_senders", 10, 0, 262143, c => c.MaxWalSenders),
        new("max_prepared_transactions", 0, 0, 262143, c => c.MaxPreparedTransactions),
        new("max_locks_per_transaction", 64, 10, int.MaxValue, c => c.MaxLocksPerTransaction),
    ];

    public static HotStandbyLimit? Find(string name) => All.FirstOrDefault(l => l.Name == name);
}
