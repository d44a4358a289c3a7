namespace PgStandby.Core.Promotion;

/// <summary>The options of <c>pgstandby promote</c>.</summary>
/// <param name="Force">Promote even while the old primary answers (two primaries: the operator's choice).</param>
/// <param name="MaxWait">How long the catch-up from the archive may take before promoting.</param>
/// <param name="PromoteWait">pg_promote's wait_seconds: how long postgres may take to finish the promotion.</param>
public sealed record PromoteOptions(bool Force, TimeSpan MaxWait, TimeSpan PromoteWait)
{
    /// <summary>A day: longer waits are typing mistakes (and would overflow the command timeout).</summary>
    public const int MaxSeconds = 86_400;

    public static readonly PromoteOptions Default = new(false, TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(60));

    /// <summary>Parses <c>[--force] [--max-wait SECONDS] [--wait SECONDS]</c>; null with the problem when they do not parse.</summary>
    public static (PromoteOptions? Options, string? Problem) Parse(IReadOnlyList<string> arguments)
    {
        var options = Default;
        for (var i = 0; i < arguments.Count; i++)
        {
            switch (arguments[i])
            {
                case "--force":
                    options = options with { Force = true };
                    break;
                case "--max-wait" or "--wait" when i + 1 < arguments.Count && int.TryParse(arguments[i + 1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= MaxSeconds:
                    options = arguments[i] == "--max-wait" ? options with { MaxWait = TimeSpan.FromSeconds(seconds) } : options with { PromoteWait = TimeSpan.FromSeconds(seconds) };
                    i++;
                    break;
                default:
                    return (null, $"unknown or incomplete option '{arguments[i]}': pgstandby promote [--force] [--max-wait SECONDS] [--wait SECONDS] (SECONDS from 1 to {MaxSeconds})");
            }
        }

        return (options, null);
    }
}
