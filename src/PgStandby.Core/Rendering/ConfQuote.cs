namespace PgStandby.Core.Rendering;

/// <summary>Quoting for postgresql.conf string values: single quotes, embedded quotes doubled.</summary>
public static class ConfQuote
{
    /// <summary>
    /// A quoted string ends at a line break, so line breaks are written as GUC_scanstr's \n and \r escapes:
    /// https://www.postgresql.org/docs/15/config-setting.html#CONFIG-SETTING-CONFIGURATION-FILE
    /// </summary>
    public static string Literal(string value) => "'" + value
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("'", "''", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal)
        .Replace("\r", "\\r", StringComparison.Ordinal) + "'";
}
