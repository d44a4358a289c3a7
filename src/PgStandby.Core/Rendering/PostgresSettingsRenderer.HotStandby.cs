using System.Globalization;
using PgStandby.Core.Postgres;

namespace PgStandby.Core.Rendering;

/// <summary>Settings kept at least as high as the primary's, so that replaying its WAL never stops recovery.</summary>
public static partial class PostgresSettingsRenderer
{
    /// <summary>Each <see cref="HotStandbyLimit"/> at max(PostgreSQL's default, the primary's value in pg_control).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> HotStandbySettings(ControlData? control) =>
        HotStandbySettings(control, []);

    /// <summary>
    /// As <see cref="HotStandbySettings(ControlData?)"/>, except that the operator's PG_SETTINGS value wins when it is at least
    /// the primary's. Without pg_control (before the first restore) nothing is rendered: the backup's own settings stand.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> HotStandbySettings(ControlData? control, IReadOnlyList<KeyValuePair<string, string>> extra) =>
        [.. Floors(control, extra).Select(f => new KeyValuePair<string, string>(f.Limit.Name, f.Value.ToString(CultureInfo.InvariantCulture)))];

    /// <summary>The primary's values: a copy in postgresql.auto.conf below one of them would stop recovery.</summary>
    public static IReadOnlyDictionary<string, long> HotStandbyMinimums(ControlData? control) =>
        Floors(control, []).ToDictionary(f => f.Limit.Name, f => (long)f.Primary, StringComparer.Ordinal);

    private static IEnumerable<Floor> Floors(ControlData? control, IReadOnlyList<KeyValuePair<string, string>> extra)
    {
        if (control is null)
        {
            yield break;
        }

        foreach (var limit in HotStandbyLimit.All)
        {
            if (limit.Primary(control) is not { } primary)
            {
                continue;
            }

            // The operator may go below PostgreSQL's default, never below the primary.
            var asked = OperatorValue(limit.Name, extra);
            yield return new Floor(limit, asked is { } a && a >= primary ? a : Math.Max(limit.Default, primary), primary, asked);
        }
    }

    /// <summary>The last PG_SETTINGS value of <paramref name="name"/>, as postgres would read it.</summary>
    private static int? OperatorValue(string name, IReadOnlyList<KeyValuePair<string, string>> extra) =>
        extra.LastOrDefault(s => s.Key == name) is { Key: not null } setting
        && int.TryParse(setting.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    private static IEnumerable<string> FloorComments(ControlData? control, IReadOnlyList<KeyValuePair<string, string>> extra) =>
        Floors(control, extra)
            .Where(f => f.Asked is { } asked && asked < f.Primary)
            .Select(f => $"# PG_SETTINGS asks {f.Limit.Name} = {f.Asked}, below the primary's {f.Primary} (pg_control): {f.Value} is kept.");

    private sealed record Floor(HotStandbyLimit Limit, int Value, int Primary, int? Asked);
}
