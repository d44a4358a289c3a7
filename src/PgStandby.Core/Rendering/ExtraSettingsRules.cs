using System.Globalization;
using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;

namespace PgStandby.Core.Rendering;

/// <summary>
/// What PG_SETTINGS may not say, because of what the renderer writes: a setting the worker manages (it names who
/// sets it instead), or a hot standby limit outside PostgreSQL's range. Checked with every other variable when the
/// worker starts.
/// </summary>
public sealed class ExtraSettingsRules : IValidateOptions<StandbyOptions>
{
    public ValidateOptionsResult Validate(string? name, StandbyOptions options)
    {
        var problems = options.ExtraSettings.Select(s => Check(s.Key, s.Value)).OfType<string>().ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    /// <summary>Why <paramref name="name"/>=<paramref name="value"/> may not be in PG_SETTINGS; null when it may.</summary>
    public static string? Check(string name, string value)
    {
        if (PostgresSettingsRenderer.ManagedBy(name) is { } owner)
        {
            return $"{ExtraSettingsParser.Variable} must not set {name}: the worker manages it ({owner}).";
        }

        if (HotStandbyLimit.Find(name) is { } limit
            && !(int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= limit.Min && number <= limit.Max))
        {
            return $"{ExtraSettingsParser.Variable} value of {name} must be a whole number from {limit.Min} to {limit.Max} (got '{EnvironmentValues.Shown(value)}').";
        }

        return null;
    }
}
