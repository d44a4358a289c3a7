using Microsoft.Extensions.Options;

namespace PgStandby.Worker;

/// <summary>Every options failure the host's start-up validation found, one or many (it aggregates them).</summary>
internal static class ConfigurationProblems
{
    public static IReadOnlyList<string> From(Exception exception) => exception switch
    {
        OptionsValidationException single => [.. single.Failures],
        AggregateException many => [.. many.InnerExceptions.SelectMany(From)],
        _ => [],
    };
}
