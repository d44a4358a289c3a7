using System.Globalization;

namespace PgStandby.Core.Rendering;

/// <summary>
/// postgresql.auto.conf is read last and would override the worker's settings: pgBackRest writes its
/// own restore_command there, and a primary's ALTER SYSTEM may have set listen_addresses or port.
/// Lines setting a managed key are removed; every other line is kept as is.
/// </summary>
public static class AutoConfEditor
{
    public static string RemoveManaged(string autoConf, IReadOnlyCollection<string> managed) =>
        Remove(autoConf, (key, _) => managed.Contains(key));

    /// <summary>
    /// Removes the lines that set one of <paramref name="minimums"/> below it (or to something that is not a
    /// whole number): the primary's ALTER SYSTEM copied with the backup must not stop the standby's recovery.
    /// </summary>
    public static string RemoveBelow(string autoConf, IReadOnlyDictionary<string, long> minimums) =>
        Remove(autoConf, (key, value) => minimums.TryGetValue(key, out var minimum)
            && !(long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= minimum));

    private static string Remove(string autoConf, Func<string, string, bool> drop)
    {
        var kept = autoConf.Split('\n').Where(line => Setting(line) is not { } setting || !drop(setting.Key, setting.Value));
        return string.Join('\n', kept);
    }

    /// <summary>The key (lowercased, as postgres compares names) and unquoted value a line sets; null for comments and blank lines.</summary>
    private static KeyValuePair<string, string>? Setting(string line)
    {
        var trimmed = line.TrimStart();
        if (trimmed.Length == 0 || trimmed.StartsWith('#'))
        {
            return null;
        }

        var end = trimmed.IndexOfAny([' ', '\t', '=']);
        var key = end < 0 ? trimmed : trimmed[..end];
        var rest = end < 0 ? string.Empty : trimmed[end..].TrimStart(' ', '\t');
        rest = rest.StartsWith('=') ? rest[1..].TrimStart(' ', '\t') : rest;
        return new(key.ToLowerInvariant(), Value(rest));
    }

    private static string Value(string rest)
    {
        if (!rest.StartsWith('\''))
        {
            var end = rest.IndexOfAny([' ', '\t', '\r', '#']);
            return end < 0 ? rest : rest[..end];
        }

        var close = rest.IndexOf('\'', 1);
        return close < 0 ? rest[1..] : rest[1..close];
    }
}
