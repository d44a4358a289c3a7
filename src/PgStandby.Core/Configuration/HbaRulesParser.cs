namespace PgStandby.Core.Configuration;

/// <summary>
/// PG_HBA: the standby's own pg_hba.conf rules, separated by <c>;</c> or line breaks, in place of the backup's
/// rules and of the defaults. Each rule is checked for its shape only; postgres checks the rest when it starts.
/// https://www.postgresql.org/docs/15/auth-pg-hba-conf.html
/// </summary>
internal static class HbaRulesParser
{
    public const string Variable = "PG_HBA";

    private static readonly string[] HostTypes = ["host", "hostssl", "hostnossl", "hostgssenc", "hostnogssenc"];

    /// <summary>The rules, one pg_hba.conf line each; null when PG_HBA is unset (the backup's rules or the defaults stand).</summary>
    public static IReadOnlyList<string>? Parse(string? raw, IList<string> problems)
    {
        if (raw is null)
        {
            return null;
        }

        var rules = raw.Split([';', '\n']).Select(r => r.Trim()).Where(r => r.Length > 0).ToList();
        if (rules.Count == 0)
        {
            problems.Add($"{Variable} is set but holds no rule: unset it for the default rules (md5 from any address), or give rules such as 'host all all 10.0.0.0/8 md5'.");
            return null;
        }

        var before = problems.Count;
        for (var i = 0; i < rules.Count; i++)
        {
            if (Check(rules[i]) is { } problem)
            {
                problems.Add($"{Variable} rule {i + 1} {problem}.");
            }
        }

        return problems.Count > before ? null : rules;
    }

    private static string? Check(string rule)
    {
        if (rule.Any(c => char.IsControl(c) && c != '\t'))
        {
            return "holds a control character (only spaces and tabs may separate its fields)";
        }

        if (rule.StartsWith('#'))
        {
            return "is a comment: leave comments out";
        }

        var fields = rule.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var needed = fields[0] == "local" ? 4 : HostTypes.Contains(fields[0], StringComparer.Ordinal) ? 5 : 0;
        return needed == 0
            ? "must start with local, host, hostssl, hostnossl, hostgssenc or hostnogssenc, e.g. 'host all all 10.0.0.0/8 md5'"
            : fields.Length < needed
                ? $"has {fields.Length} fields; a {fields[0]} rule needs {needed}: {(needed == 4 ? "local, database, user, method" : "type, database, user, address, method")}"
                : null;
    }
}
