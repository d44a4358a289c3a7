namespace PgStandby.Core.Processes;

/// <summary>
/// The environment a child sees: the worker's own variables are removed (they hold the replication
/// password and NOTIFY_SOCKET), only a short allow-list is passed on.
/// </summary>
internal static class ChildEnvironment
{
    private const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static readonly string[] Passed = ["LANG", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "TZ", "TMPDIR"];

    public static Dictionary<string, string?> Build(CommandSpec spec, OsAccount? account)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var key in Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            result[key] = null; // null removes the variable from the child's environment
        }

        foreach (var key in Passed)
        {
            var value = Environment.GetEnvironmentVariable(key);
            if (value is not null)
            {
                result[key] = value;
            }
        }

        result["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? DefaultPath;

        if (account is not null)
        {
            result["HOME"] = account.Home;
            result["USER"] = account.Name;
            result["LOGNAME"] = account.Name;
        }

        foreach (var (key, value) in spec.Environment)
        {
            result[key] = value;
        }

        return result;
    }
}
