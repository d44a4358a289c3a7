using System.Text.RegularExpressions;

namespace PgStandby.Core.Postgres;

/// <summary>
/// One line of postgres's stderr, as the managed <see cref="Prefix"/> writes it: which process wrote it, and the
/// severity and text of its message. postgres's log carries text a client chose (user and database names,
/// application_name, statements, RAISE), so the worker acts only on the message line of a process it knows
/// (<see cref="IsMessageFrom"/>), never on a substring of any line: a client's text sits behind a client
/// backend's prefix, or on a continuation line postgres indents with a tab, and the worker splits lines on line
/// feeds only (<see cref="Processes.LineFeedPipeTarget"/>), so a carriage return cannot start a forged line.
/// </summary>
public sealed partial record PostgresLogLine(int Pid, string BackendType, string Severity, string Message)
{
    /// <summary>log_line_prefix: time, pid and backend type (%b, PostgreSQL 13+), none of them a client's text.</summary>
    public const string Prefix = "%m [%p] %b: ";

    /// <summary>The startup process: replays WAL, follows timelines, and says when it cannot.</summary>
    public const string Startup = "startup";

    /// <summary>The WAL receiver: streams from the primary.</summary>
    public const string WalReceiver = "walreceiver";

    /// <summary>The postmaster: starts the others, and says when connections are accepted.</summary>
    public const string Postmaster = "postmaster";

    /// <summary>
    /// Server processes that act on no client's behalf: their message lines hold no client text. Not client
    /// backends, walsenders (log_replication_commands), parallel or background workers (they run a client's
    /// functions), nor autovacuum workers (they run index and trigger functions a client wrote).
    /// </summary>
    private static readonly HashSet<string> ServerProcesses = new(StringComparer.Ordinal)
    {
        Postmaster, Startup, WalReceiver, "checkpointer", "background writer", "walwriter", "archiver", "logger",
        "autovacuum launcher", "logical replication launcher",
    };

    /// <summary>The first line of a message; DETAIL, HINT, CONTEXT and STATEMENT lines have labels of their own.</summary>
    private static readonly HashSet<string> MessageSeverities = new(StringComparer.Ordinal)
    {
        "DEBUG1", "DEBUG2", "DEBUG3", "DEBUG4", "DEBUG5", "INFO", "NOTICE", "WARNING", "ERROR", "LOG", "FATAL", "PANIC",
    };

    /// <summary>Null for a line that is not the start of a prefixed entry: a continuation, pgBackRest's own output.</summary>
    public static PostgresLogLine? Parse(string line)
    {
        var match = PrefixedLine().Match(line);
        return match.Success && int.TryParse(match.Groups["pid"].ValueSpan, out var pid)
            ? new PostgresLogLine(pid, match.Groups["type"].Value, match.Groups["severity"].Value, match.Groups["message"].Value)
            : null;
    }

    /// <summary>True for the message line (not its DETAIL, CONTEXT…) of <paramref name="backendType"/>.</summary>
    public bool IsMessageFrom(string backendType) =>
        string.Equals(BackendType, backendType, StringComparison.Ordinal) && MessageSeverities.Contains(Severity);

    /// <summary>True for the message line of a process that acts on no client's behalf.</summary>
    public bool IsServerMessage => ServerProcesses.Contains(BackendType) && MessageSeverities.Contains(Severity);

    // "2026-12-03 09:29:30.123 UTC [4242] startup: LOG:  message": %m has no space but the one before its zone;
    // built-in backend types are lowercase words.
    [GeneratedRegex(@"\A\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} [^\s\[\]]+ \[(?<pid>\d{1,10})\] (?<type>[a-z]+(?: [a-z]+)*): (?<severity>[A-Z]+[1-5]?):  (?<message>[^\r\n]*)\z", RegexOptions.CultureInvariant)]
    private static partial Regex PrefixedLine();
}
