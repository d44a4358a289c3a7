namespace PgStandby.IntegrationTests.World;

/// <summary>
/// The probe table a fault test compares between primary and standby: rows are committed on the primary
/// before the fault, and once the standby has caught up it must hold exactly the primary's rows.
/// </summary>
internal static class ProbeTable
{
    /// <summary>"count/max(id)/md5 of every row in id order": equal on both sides only when the rows are.</summary>
    public const string FingerprintSql =
        "SELECT count(*) || '/' || coalesce(max(id), 0) || '/' || md5(coalesce(string_agg(id || ':' || note, ',' ORDER BY id), '')) FROM probe";

    /// <param name="tag">Letters, digits and '-' only: it is written into the SQL.</param>
    public static string InsertSql(string tag, int rows)
    {
        if (!tag.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            throw new ArgumentException("letters, digits and '-' only", nameof(tag));
        }

        return $"INSERT INTO probe (note) SELECT '{tag}-' || g FROM generate_series(1, {rows}) AS g";
    }
}
