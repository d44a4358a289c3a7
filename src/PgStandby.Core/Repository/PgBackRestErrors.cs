using System.Collections.Frozen;

namespace PgStandby.Core.Repository;

/// <summary>pgBackRest's exit codes (its error list, https://pgbackrest.org) in words an operator can act on.</summary>
public static class PgBackRestErrors
{
    private static readonly FrozenDictionary<int, string> Meanings = new Dictionary<int, string>
    {
        [38] = "PostgreSQL is running on PGDATA",
        [40] = "PGDATA is not empty",
        [49] = "pgBackRest could not connect to the repository host",
        [55] = "files of the stanza are missing from the repository",
        [56] = "pgBackRest could not connect to PostgreSQL",
        [58] = "the repository belongs to another database system",
        [63] = "pgBackRest was terminated by a signal",
        [75] = "the repository holds no backup set",
        [82] = "WAL archiving timed out",
        [127] = "pgbackrest is not installed (command not found)",
    }.ToFrozenDictionary();

    public static string Describe(int exitCode) =>
        Meanings.TryGetValue(exitCode, out var meaning) ? $"{meaning} (pgBackRest exit {exitCode})" : $"pgBackRest failed with exit {exitCode}";

    /// <summary>Failures that come from the network or the primary going away, worth a retry rather than a stop.</summary>
    public static bool IsTransient(int exitCode, string message) =>
        exitCode is 49 or 63 || TransientMarkers.Any(m => message.Contains(m, StringComparison.OrdinalIgnoreCase));

    /// <summary>OpenSSH's and pgBackRest's words for a connection that dropped or never came up.</summary>
    private static readonly string[] TransientMarkers =
    [
        "ssh: connect to host", "Connection refused", "Connection timed out", "Connection reset",
        "Could not resolve hostname", "No route to host", "unexpected eof", "unable to connect", "ProtocolError",
    ];
}
