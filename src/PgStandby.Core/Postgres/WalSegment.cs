using System.Globalization;

namespace PgStandby.Core.Postgres;

/// <summary>
/// A WAL segment by its parts: 00000001 00000000 0000000A is timeline 1, log 0, segment 10. Positions compare by
/// (log, segment), the same order for any segment size; timelines are compared apart, never folded into one order.
/// </summary>
public sealed record WalSegment(int Timeline, uint Log, uint Segment)
{
    private const long DefaultSegmentBytes = 16L * 1024 * 1024;

    /// <summary>Where the segment starts in the WAL, as a comparable number; independent of the timeline.</summary>
    public ulong Position => ((ulong)Log << 32) | Segment;

    public string Name => string.Create(CultureInfo.InvariantCulture, $"{Timeline:X8}{Log:X8}{Segment:X8}");

    public override string ToString() => Name;

    /// <summary>Null for anything that is not a 24-digit segment name.</summary>
    public static WalSegment? Parse(string? name)
    {
        if (name is not { Length: 24 }
            || !uint.TryParse(name.AsSpan(0, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var timeline)
            || !uint.TryParse(name.AsSpan(8, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var log)
            || !uint.TryParse(name.AsSpan(16, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var segment)
            || timeline is 0 or > int.MaxValue)
        {
            return null;
        }

        return new WalSegment((int)timeline, log, segment);
    }

    /// <summary>The segment that holds <paramref name="lsn"/> on <paramref name="timeline"/> (postgres's XLByteToSeg and XLogFileName).</summary>
    public static WalSegment Of(int timeline, ulong lsn, long? segmentBytes)
    {
        var bytes = Bytes(segmentBytes);
        var number = lsn / bytes;
        var perLog = 0x1_0000_0000UL / bytes;
        return new WalSegment(timeline, (uint)(number / perLog), (uint)(number % perLog));
    }

    /// <summary>
    /// The WAL position just past this segment's last byte (postgres's XLogSegNoOffsetToRecPtr of the next segment):
    /// where replay stands once it has replayed all of it.
    /// </summary>
    public ulong EndLsn(long? segmentBytes)
    {
        var bytes = Bytes(segmentBytes);
        var perLog = 0x1_0000_0000UL / bytes;
        return ((((ulong)Log * perLog) + Segment) + 1) * bytes;
    }

    /// <summary>The name order pgBackRest's archive min/max use: timeline first, then position.</summary>
    public bool IsNewerByNameThan(WalSegment other) => string.CompareOrdinal(Name, other.Name) > 0;

    /// <summary>wal_segment_size as postgres allows it (a power of two, 1 MiB to 1 GiB); 16 MiB when unknown.</summary>
    private static ulong Bytes(long? segmentBytes) =>
        (ulong)(segmentBytes is > 0 and <= 0x4000_0000 ? segmentBytes.Value : DefaultSegmentBytes);
}
