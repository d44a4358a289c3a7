using System.Globalization;
using System.Text.RegularExpressions;

namespace PgStandby.Core.Configuration;

/// <summary>Sizes written as pgBackRest reads them: bytes, or a whole number with a unit that is a power of 1024.</summary>
internal sealed partial class EnvironmentValues
{
    /// <summary>https://pgbackrest.org/configuration.html (option types, Size): 5GiB, 5GB and 5g are the same; no fractions.</summary>
    public long Size(string name, long fallback, long min, long max)
    {
        var value = Raw(name);
        if (value is null)
        {
            return fallback;
        }

        if (ParseSize(value.Trim()) is { } bytes && bytes >= min && bytes <= max)
        {
            return bytes;
        }

        problems.Add($"{name} must be a size from {FormatSize(min)} to {FormatSize(max)}: bytes, or a whole number with KiB, MiB, GiB, TiB or PiB, e.g. 1GiB (got '{Shown(value)}').");
        return fallback;
    }

    /// <summary>Bytes, or null when the text is not a pgBackRest size (or overflows).</summary>
    internal static long? ParseSize(string text)
    {
        var match = SizePattern().Match(text);
        if (!match.Success || !long.TryParse(match.Groups["number"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return null;
        }

        var shift = match.Groups["unit"].Value.ToUpperInvariant() switch
        {
            "" or "B" => 0,
            var unit when unit.StartsWith('K') => 10,
            var unit when unit.StartsWith('M') => 20,
            var unit when unit.StartsWith('G') => 30,
            var unit when unit.StartsWith('T') => 40,
            _ => 50,
        };
        return number > long.MaxValue >> shift ? null : number << shift;
    }

    private static string FormatSize(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        var unit = 0;
        while (unit < units.Length - 1 && bytes >= 1024 && bytes % 1024 == 0)
        {
            bytes /= 1024;
            unit++;
        }

        return bytes.ToString(CultureInfo.InvariantCulture) + units[unit];
    }

    [GeneratedRegex("^(?<number>[0-9]{1,19})(?<unit>[kmgtp]i?b|[kmgtp]|b)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SizePattern();
}
