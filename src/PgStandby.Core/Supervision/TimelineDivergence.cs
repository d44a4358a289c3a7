namespace PgStandby.Core.Supervision;

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

        // The archive's newest timeline does not descend from the standby's at all: the standby followed a
        // failover, then the old primary was restored onto the older timeline ("new timeline 4 is not a
        // child of database system timeline 3").
        "is not a child of database system timeline",
    ];

    public static bool IsDivergence(string postgresLogLine) =>
        Markers.Any(m => postgresLogLine.Contains(m, StringComparison.Ordinal));
}
