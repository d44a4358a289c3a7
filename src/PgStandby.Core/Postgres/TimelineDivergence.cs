namespace PgStandby.Core.Postgres;

/// <summary>
/// postgres's own words when the primary's history forked before the standby's position: replay stops
/// for good. A standby never accepted a write, so re-syncing it from the newest backup loses nothing.
/// </summary>
public static class TimelineDivergence
{
    private static readonly string[] Markers =
    [
        "forked off current database system timeline",
        "requested timeline is not a child of this server's history",
        "is not a child of this server's history",
    ];

    public static bool IsDivergence(string postgresLogLine) =>
        Markers.Any(m => postgresLogLine.Contains(m, StringComparison.Ordinal));
}
