namespace PgStandby.Core.Rendering;

/// <summary>A libpq keyword/value connection string; values quoted as libpq reads them.</summary>
public static class ConnInfo
{
    public static string Build(IEnumerable<KeyValuePair<string, string>> pairs) =>
        string.Join(' ', pairs.Select(p => p.Key + "=" + Quote(p.Value)));

    /// <summary>https://www.postgresql.org/docs/15/libpq-connect.html#LIBPQ-CONNSTRING: quote with ', escape ' and \ with \.</summary>
    public static string Quote(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '/' or ':')
            ? value
            : "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
}
