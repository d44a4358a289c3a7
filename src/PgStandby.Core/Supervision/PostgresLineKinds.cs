using PgStandby.Core.Gaps;
using PgStandby.Core.Postgres;
using PgStandby.Core.Replication;

namespace PgStandby.Core.Supervision;

/// <summary>What one of postgres's lines tells the supervisor.</summary>
public enum PostgresLineKind
{
    /// <summary>Nothing the supervisor acts on.</summary>
    None,

    /// <summary>restore_command's pgBackRest could not write a WAL segment into PGDATA (a full disk if little is free).</summary>
    RestoreCommandCannotWrite,

    /// <summary>A server message says "No space left on device".</summary>
    NoSpaceLeft,

    /// <summary>The primary raised a limit (max_connections…) above this standby's: recovery pauses until a restart.</summary>
    InsufficientSettings,

    /// <summary>The postmaster accepts connections.</summary>
    Ready,

    /// <summary>The WAL receiver streams.</summary>
    StreamingStarted,

    /// <summary>The startup process waits for WAL at a position (the detail), before it is consistent.</summary>
    WaitingForWal,

    /// <summary>The primary no longer has the segment the WAL receiver asked for.</summary>
    SegmentRefused,

    /// <summary>The startup process reports a timeline that forked before its position.</summary>
    TimelineDivergence,
}

/// <summary>
/// Classifies postgres's lines. Decisions come only from the message lines of postgres's own processes: a client's
/// text sits behind a client backend's prefix or on a tab-indented continuation line, and matches none of these.
/// </summary>
public static class PostgresLineKinds
{
    public const long WalSegmentBytes = 16 * 1024 * 1024;

    private const string WaitingForWal = "waiting for WAL to become available at ";

    /// <returns>The kind and its detail: the message, or for <see cref="PostgresLineKind.WaitingForWal"/> the position.</returns>
    public static (PostgresLineKind Kind, string Detail) Classify(string line, string dataDirectory)
    {
        if (PostgresLogLine.Parse(line) is not { } entry)
        {
            // restore_command's own output (pgBackRest, unprefixed; a client's text never starts a line).
            return line.StartsWith("ERROR: [064]: unable to write '" + dataDirectory, StringComparison.Ordinal)
                ? (PostgresLineKind.RestoreCommandCannotWrite, line)
                : (PostgresLineKind.None, line);
        }

        var message = entry.Message;
        if (entry.IsServerMessage && message.Contains("No space left on device", StringComparison.Ordinal))
        {
            return (PostgresLineKind.NoSpaceLeft, message);
        }

        if (entry.IsMessageFrom(PostgresLogLine.Startup))
        {
            if (message.Contains("insufficient parameter settings", StringComparison.Ordinal))
            {
                return (PostgresLineKind.InsufficientSettings, message);
            }

            if (message.StartsWith(WaitingForWal, StringComparison.Ordinal))
            {
                return (PostgresLineKind.WaitingForWal, message[WaitingForWal.Length..].Trim());
            }

            if (TimelineDivergence.IsDivergence(message))
            {
                return (PostgresLineKind.TimelineDivergence, message);
            }
        }

        if (entry.IsMessageFrom(PostgresLogLine.Postmaster) && message.StartsWith("database system is ready to accept", StringComparison.Ordinal))
        {
            return (PostgresLineKind.Ready, message);
        }

        if (entry.IsMessageFrom(PostgresLogLine.WalReceiver))
        {
            if (StreamingStarted.IsStreamingLine(message))
            {
                return (PostgresLineKind.StreamingStarted, message);
            }

            if (RefusedSegments.Parse(message) is not null)
            {
                return (PostgresLineKind.SegmentRefused, message);
            }
        }

        return (PostgresLineKind.None, message);
    }
}
