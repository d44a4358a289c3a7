namespace PgStandby.Core.Rendering;

/// <summary>Quoting for postgresql.conf string values: single quotes, embedded quotes doubled.</summary>
public static class ConfQuote
{
    public static string Literal(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal) + "'";
}
