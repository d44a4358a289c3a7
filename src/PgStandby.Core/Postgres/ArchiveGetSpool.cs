namespace PgStandby.Core.Postgres;

/// <summary>
/// pgBackRest's asynchronous archive-get queue in the spool. With archive-missing-retry=n (pgBackRest's guidance for
/// a standby) a "missing" answer left there by an earlier run ends recovery's wait for a segment that may have been
/// archived since: the queue must be empty whenever postgres starts, with no archive-get running.
/// </summary>
public static class ArchiveGetSpool
{
    public static string PathIn(string spoolPath, string stanza) => Path.Combine(spoolPath, "archive", stanza, "in");

    public static void Clear(string spoolPath, string stanza)
    {
        var queue = PathIn(spoolPath, stanza);
        if (Directory.Exists(queue))
        {
            Directory.Delete(queue, recursive: true);
        }
    }
}
