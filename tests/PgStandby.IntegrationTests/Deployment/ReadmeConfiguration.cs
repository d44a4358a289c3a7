using System.Text.RegularExpressions;
using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Deployment;

/// <summary>README.md's Configuration table, as the deployment files are held to it.</summary>
internal static partial class ReadmeConfiguration
{
    /// <summary>Every variable named in the first column of the README's Configuration table.</summary>
    public static HashSet<string> Variables()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        var section = readme[readme.IndexOf("\n## Configuration", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 1, StringComparison.Ordinal)];
        return section.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal))
            .SelectMany(l => VariableRegex().Matches(l.Split('|')[1]).Select(m => m.Groups["name"].Value))
            .ToHashSet();
    }

    [GeneratedRegex("`(?<name>[A-Z][A-Z0-9_]+)`")]
    private static partial Regex VariableRegex();
}
