using System.Globalization;
using System.Text.RegularExpressions;

namespace PgStandby.IntegrationTests.Deployment;

/// <summary>A compose file's duration (stop_grace_period): 120s, 2m, 1m30s, 1h.</summary>
internal static partial class ComposeDuration
{
    public static TimeSpan Parse(string text)
    {
        var match = DurationRegex().Match(text);
        Assert.True(match.Success, "not a compose duration: " + text);
        int Part(string unit) => match.Groups[unit].Success ? int.Parse(match.Groups[unit].Value, CultureInfo.InvariantCulture) : 0;
        return new TimeSpan(Part("h"), Part("m"), Part("s"));
    }

    [GeneratedRegex("^(?:(?<h>[0-9]+)h)?(?:(?<m>[0-9]+)m)?(?:(?<s>[0-9]+)s)?$")]
    private static partial Regex DurationRegex();
}
