using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Postgres;
using PgStandby.Core.Processes;

namespace PgStandby.Core.Restore;

/// <summary>The processes a restore must not run beside: this standby's pgbackrest and postgres, and another program's postmaster.</summary>
public sealed class StandbyProcesses(
    LeftoverProcesses leftovers,
    AdoptedPostmaster adopted,
    IOptions<StandbyOptions> standby,
    IOptions<SupervisionOptions> supervision)
{
    /// <summary>Before a re-sync or reinit: no pgbackrest and no postgres of ours may still run on PGDATA.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var options = standby.Value;
        await leftovers.StopPgBackRestAsync(options, leftByEarlierWorker: false, cancellationToken).ConfigureAwait(false);
        switch (RunningPostmaster.Find(options.DataDirectory))
        {
            case { OnThisDataDirectory: false } foreign:
                throw ForeignPostmaster(foreign.Pid);
            case { } ours:
                await leftovers.StopPostmasterAsync(ours.Pid, supervision.Value.StopTimeout, cancellationToken).ConfigureAwait(false);
                adopted.Release();
                break;
        }
    }

    public StandbyException ForeignPostmaster(int pid) => StandbyException.Refused(
        $"{standby.Value.DataDirectory}/postmaster.pid names process {pid}, which is running but is not a postgres of this data directory",
        "stop that process (or remove a postmaster.pid you know to be stale), then start pgstandby again");
}
