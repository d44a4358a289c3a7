namespace PgStandby.Core.Diagnostics;

/// <summary>The named states of the worker; the status file shows them in snake_case (see <see cref="StandbyStateNames"/>).</summary>
public enum StandbyState
{
    Starting,
    WaitingForKeyAuthorization,
    WaitingForPrimary,
    WaitingForBackup,
    Restoring,
    Resyncing,
    StartingPostgres,
    CatchingUpFromArchive,
    Streaming,
    Lagging,
    Stalled,
    DiskFull,

    /// <summary>This node was promoted (by <c>pgstandby promote</c> or by hand) and runs as a primary.</summary>
    Primary,
    Refused,
    Failing,
    Stopping,
}
