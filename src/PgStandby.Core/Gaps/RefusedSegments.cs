using System.Text.RegularExpressions;
using PgStandby.Core.Postgres;

namespace PgStandby.Core.Gaps;

/// <summary>
/// The segment the primary last refused to stream because it already removed it, as postgres's WAL receiver logs
/// it ("could not receive data from WAL stream: ERROR:  requested WAL segment … has already been removed"). Fed
/// only from the WAL receiver's own message lines: the supervisor routes them, never a client's text.
/// </summary>
public sealed partial class RefusedSegments
{
    private readonly Lock _gate = new();
    private (WalSegment Segment, DateTimeOffset At)? _latest;

    /// <summary>The segment named by the walsender's refusal in a WAL receiver message, or null.</summary>
    public static WalSegment? Parse(string walReceiverMessage)
    {
        var match = Removed().Match(walReceiverMessage);
        return match.Success ? WalSegment.Parse(match.Groups["segment"].Value) : null;
    }

    public void Record(WalSegment segment, DateTimeOffset at)
    {
        lock (_gate)
        {
            _latest = (segment, at);
        }
    }

    /// <summary>The last refused segment if the primary said so at or after <paramref name="since"/>.</summary>
    public WalSegment? Since(DateTimeOffset since)
    {
        lock (_gate)
        {
            return _latest is { } latest && latest.At >= since ? latest.Segment : null;
        }
    }

    [GeneratedRegex(@"requested WAL segment (?<segment>[0-9A-F]{24}) has already been removed", RegexOptions.CultureInvariant)]
    private static partial Regex Removed();
}
