using System.Text.RegularExpressions;

namespace PgStandby.Core.Configuration;

/// <summary>
/// PG_SETTINGS: <c>name=value</c> entries separated by <c>;</c> or line breaks. Each accepted entry renders as
/// exactly one postgresql.conf line: the name's syntax is checked here, the value is quoted by the renderer, and
/// the renderer's own rules (settings the worker manages, hot standby limits) are Rendering.ExtraSettingsRules.
/// </summary>
internal static partial class ExtraSettingsParser
{
    public const string Variable = "PG_SETTINGS";

    // Past this many bad entries the rest are counted, not listed: the log stays readable.
    private const int MaxListed = 5;

    public static IReadOnlyList<KeyValuePair<string, string>> Parse(string? raw, IList<string> problems)
    {
        if (raw is null)
        {
            return [];
        }

        var settings = new List<KeyValuePair<string, string>>();
        var bad = new List<string>();
        foreach (var entry in raw.Split([';', '\n']).Select(e => e.Trim()).Where(e => e.Length > 0))
        {
            if (Check(entry) is { } problem)
            {
                bad.Add(problem);
            }
            else
            {
                var equals = entry.IndexOf('=', StringComparison.Ordinal);
                settings.Add(new(entry[..equals].Trim(), entry[(equals + 1)..].Trim()));
            }
        }

        foreach (var problem in bad.Take(MaxListed))
        {
            problems.Add(problem);
        }

        if (bad.Count > MaxListed)
        {
            problems.Add($"{Variable} has {bad.Count - MaxListed} more bad entries.");
        }

        return settings;
    }

    private static string? Check(string entry)
    {
        var equals = entry.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0)
        {
            return $"{Variable} entry '{EnvironmentValues.Shown(entry)}' must be name=value (e.g. hot_standby_feedback=on), entries separated by ; or line breaks.";
        }

        var name = entry[..equals].Trim();
        var value = entry[(equals + 1)..].Trim();
        if (!NamePattern().IsMatch(name))
        {
            return $"{Variable} entry '{EnvironmentValues.Shown(entry)}' must start with a setting name: lowercase letters, digits and _, at most one dot.";
        }

        if (value.Any(char.IsControl))
        {
            return $"{Variable} value of {name} must not hold control characters (got '{EnvironmentValues.Shown(value)}').";
        }

        if (value.Length >= 2 && value.StartsWith('\'') && value.EndsWith('\''))
        {
            return $"{Variable} value of {name} must be written without its quotes: the worker quotes every value (got '{EnvironmentValues.Shown(value)}').";
        }

        return null;
    }

    /// <summary>postgresql.conf's own name syntax (guc-file.l: ID or ID.ID), in lowercase as PostgreSQL stores names.</summary>
    [GeneratedRegex("^[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?$")]
    private static partial Regex NamePattern();
}
