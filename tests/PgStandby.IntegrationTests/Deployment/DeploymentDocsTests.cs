using System.Text.RegularExpressions;
using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Deployment;

/// <summary>The deployment guides point at files that exist, so a reader following them never lands on nothing.</summary>
public sealed partial class DeploymentDocsTests
{
    public static TheoryData<string> Guides() =>
    [
        "README.md", "README.fr.md", "deploy/docker/README.md", "deploy/caprover/README.md", "deploy/kubernetes/README.md",
        "deploy/swarm/README.md",
    ];

    [Theory]
    [MemberData(nameof(Guides))]
    public void Guide_RelativeLinks_PointAtFilesInTheRepository(string guide)
    {
        var path = Path.Combine(RepositoryPaths.Root, guide);
        var folder = Path.GetDirectoryName(path)!;

        var broken = LinkRegex().Matches(File.ReadAllText(path))
            .Select(m => m.Groups["target"].Value)
            .Where(t => !t.Contains("://", StringComparison.Ordinal) && !t.StartsWith('#'))
            .Select(t => t.Split('#')[0])
            .Where(t => !t.StartsWith("../shared/", StringComparison.Ordinal))
            .Where(t => !File.Exists(Path.Combine(folder, t)) && !Directory.Exists(Path.Combine(folder, t)))
            .ToList();

        Assert.Empty(broken);
    }

    [Fact]
    public void FrenchGuide_MapsEachOfTheSeedsCommonProblems_ToTheStateTheWorkerShows()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.fr.md"));

        string[] problems = ["clés SSH manquantes", "stanza non trouvé", "Erreur de connexion SSH", "Erreur lors de la restauration des WAL"];
        Assert.All(problems, p => Assert.Contains(p, text, StringComparison.Ordinal));
        string[] states = ["waiting_for_key_authorization", "waiting_for_backup", "waiting_for_primary", "refused", "stalled", "catching_up_from_archive"];
        Assert.All(states, s => Assert.Contains("`" + s + "`", text, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex LinkRegex();
}
