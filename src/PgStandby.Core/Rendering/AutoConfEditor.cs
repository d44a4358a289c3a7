namespace PgStandby.Core.Rendering;

/// <summary>
/// postgresql.auto.conf is read last and would override the worker's settings: pgBackRest writes its
/// own restore_command there, and a primary's ALTER SYSTEM may have set listen_addresses or port.
/// Lines setting a managed key are removed; every other line is kept as is.
/// </summary>
public static class AutoConfEditor
{
    public static string RemoveManaged(string autoConf, IReadOnlyCollection<string> managed)
    {
        var kept = autoConf.Split('\n').Where(line => !SetsManaged(line, managed));
        return string.Join('\n', kept);
    }

    private static bool SetsManaged(string line, IReadOnlyCollection<string> managed)
    {
        var trimmed = line.TrimStart();
        if (trimmed.Length == 0 || trimmed.StartsWith('#'))
        {
            return false;
        }

        var end = trimmed.IndexOfAny([' ', '\t', '=']);
        var key = end < 0 ? trimmed : trimmed[..end];
        return managed.Contains(key.ToLowerInvariant());
    }
}
