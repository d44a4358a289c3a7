using System.Collections.Frozen;

namespace PgStandby.Core.Diagnostics;

public static class StandbyStateNames
{
    private static readonly FrozenDictionary<StandbyState, string> Names = Enum.GetValues<StandbyState>()
        .ToFrozenDictionary(s => s, ToSnakeCase);

    private static readonly FrozenDictionary<string, StandbyState> States = Names
        .ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    public static string Name(this StandbyState state) => Names[state];

    public static StandbyState? Parse(string? name) =>
        name is not null && States.TryGetValue(name, out var state) ? state : null;

    private static string ToSnakeCase(StandbyState state)
    {
        var text = state.ToString();
        return string.Concat(text.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
    }
}
