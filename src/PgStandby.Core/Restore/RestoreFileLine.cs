using System.Globalization;
using System.Text.RegularExpressions;

namespace PgStandby.Core.Restore;

/// <summary>
/// One per-file line that <c>pgbackrest restore --log-level-console=detail</c> prints once a file is restored,
/// e.g. <c>P01 DETAIL: restore file /data/base/1/1255 (712KB, 11.55%) checksum 8f1d…</c>: the file's size and
/// how much of the whole backup is done.
/// </summary>
internal sealed partial record RestoreFileLine(string Path, long Bytes, double Percent)
{
    public static RestoreFileLine? Parse(string line)
    {
        var match = Pattern().Match(line);
        if (!match.Success
            || SizeOf(match.Groups["size"].Value) is not { } bytes
            || !double.TryParse(match.Groups["percent"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percent))
        {
            return null;
        }

        return new RestoreFileLine(match.Groups["path"].Value, bytes, Math.Clamp(percent, 0, 100));
    }

    /// <summary>A pgBackRest detail line of any kind: not worth the worker's log at info level.</summary>
    public static bool IsDetail(string line) => line.Contains(" DETAIL: ", StringComparison.Ordinal);

    /// <summary>pgBackRest's strSizeFormat: 0B, 712KB, 1.5MB, 16MB, 2.3GB (powers of 1024).</summary>
    internal static long? SizeOf(string text)
    {
        var unit = text.TrimStart("0123456789.".ToCharArray());
        var number = text[..^unit.Length];
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return null;
        }

        var shift = unit switch
        {
            "B" => 0,
            "KB" => 10,
            "MB" => 20,
            "GB" => 30,
            "TB" => 40,
            "PB" => 50,
            _ => -1,
        };
        return shift < 0 ? null : (long)(value * (1L << shift));
    }

    // "restore file PATH[ - exists and matches backup] ([bundle N/OFFSET, ]SIZE, PERCENT%)"
    [GeneratedRegex(@"DETAIL: restore file (?<path>.+?)(?: - [^(]*)? \((?:bundle [^,]*, )?(?:[^,()]*, )?(?<size>[0-9.]+[KMGTP]?B), (?<percent>[0-9.]+)%\)", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Pattern();
}
