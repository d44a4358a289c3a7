using System.Globalization;

namespace PgStandby.Core.Timelines;

/// <summary>A WAL position as PostgreSQL writes it ("16/B374D848": high and low 32 bits in hexadecimal).</summary>
public static class Lsn
{
    public static bool TryParse(string? text, out ulong lsn)
    {
        lsn = 0;
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (slash <= 0
            || !uint.TryParse(text.AsSpan(0, slash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var high)
            || !uint.TryParse(text.AsSpan(slash + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var low))
        {
            return false;
        }

        lsn = ((ulong)high << 32) | low;
        return true;
    }

    public static string Format(ulong lsn) => string.Create(CultureInfo.InvariantCulture, $"{lsn >> 32:X}/{lsn & 0xFFFFFFFF:X}");
}
