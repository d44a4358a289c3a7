namespace PgStandby.IntegrationTests.World;

/// <summary>The KEY=VALUE lines the tests/world scripts print on stdout.</summary>
internal static class KeyValues
{
    public static Dictionary<string, string> Parse(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
}
