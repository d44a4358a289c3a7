namespace PgStandby.Core.Postgres;

/// <summary>
/// postgres writes its state on the 8th line of postmaster.pid ("starting", "ready", "standby",
/// "stopping"), as pg_ctl reads it: "standby" means a hot standby accepting connections. Reading the
/// file asks postgres nothing, so waiting for readiness does not fill its log with refused connections.
/// </summary>
public static class PostmasterStatus
{
    public static bool IsAcceptingConnections(string dataDirectory)
    {
        try
        {
            // Read without following a link (postgres owns PGDATA; the worker may be root).
            return PostmasterPidFile.Read(dataDirectory)?.Status is "ready" or "standby";
        }
        catch (IOException)
        {
            return false;
        }
    }
}
