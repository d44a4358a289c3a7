using System.Globalization;

namespace PgStandby.Core.Postgres;

/// <summary>WAL segment file names: 8 hex digits of timeline, then of log id, then of segment within the log.</summary>
public static class WalSegmentName
{
    private const long DefaultSegmentBytes = 16L * 1024 * 1024;

    /// <summary>The segment just before <paramref name="name"/> on the same timeline; null for the very first one or a name that is not a segment's.</summary>
    public static string? Previous(string name, long? segmentBytes)
    {
        var bytes = segmentBytes is > 0 ? segmentBytes.Value : DefaultSegmentBytes;
        if (name.Length != 24 || bytes > 0x1_0000_0000L
            || !uint.TryParse(name.AsSpan(0, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var timeline)
            || !uint.TryParse(name.AsSpan(8, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var log)
            || !uint.TryParse(name.AsSpan(16, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var segment))
        {
            return null;
        }

        var segmentsPerLog = 0x1_0000_0000L / bytes;
        if (segment >= segmentsPerLog)
        {
            return null;
        }

        if (segment > 0)
        {
            return Format(timeline, log, segment - 1);
        }

        return log > 0 ? Format(timeline, log - 1, (uint)(segmentsPerLog - 1)) : null;
    }

    private static string Format(uint timeline, uint log, uint segment) =>
        string.Create(CultureInfo.InvariantCulture, $"{timeline:X8}{log:X8}{segment:X8}");
}
