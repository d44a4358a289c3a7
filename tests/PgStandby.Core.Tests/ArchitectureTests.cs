using ArchUnitNET.Domain;
using ArchUnitNET.Fluent.Slices;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using PgStandby.Core.Health;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace PgStandby.Core.Tests;

/// <summary>
/// The core's namespaces point one way (README, Architecture): foundations (Diagnostics, Configuration, Processes,
/// Concurrency) ← domain (what postgres, pgBackRest, SSH, TLS and the keys are: Timelines, Postgres, Keys, Ssh, Tls, Rendering,
/// Replication) ← Health, the sink every stage reports to ← orchestration (Repository, Restore, Gaps, Promotion,
/// Monitoring, Supervision, Pipeline). A new cycle, or an arrow against that direction, fails here.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly Architecture Core = new ArchLoader().LoadAssemblies(typeof(HealthState).Assembly).Build();

    private static readonly string[] Foundations = ["Diagnostics", "Configuration", "Processes", "Concurrency"];

    private static readonly string[] Domain = ["Timelines", "Postgres", "Keys", "Ssh", "Tls", "Rendering", "Replication"];

    private static readonly string[] Orchestration = ["Repository", "Restore", "Gaps", "Promotion", "Monitoring", "Supervision", "Pipeline"];

    /// <summary>Each folder of src/PgStandby.Core is one of the layers above: a new folder must be placed in one.</summary>
    [Fact]
    public void EveryNamespace_IsInOneLayer()
    {
        var layered = Foundations.Concat(Domain).Append("Health").Concat(Orchestration).Select(n => "PgStandby.Core." + n).ToHashSet();
        var found = typeof(HealthState).Assembly.GetTypes()
            .Select(t => t.Namespace)
            .OfType<string>()
            .Where(n => n.StartsWith("PgStandby.Core.", StringComparison.Ordinal) && !n.StartsWith("Microsoft", StringComparison.Ordinal))
            .ToHashSet();

        Assert.Empty(found.Except(layered));
        Assert.Empty(layered.Except(found));
    }

    [Fact]
    public void Namespaces_AreFreeOfCycles() =>
        SliceRuleDefinition.Slices().Matching("PgStandby.Core.(*)").Should().BeFreeOfCycles().Check(Core);

    [Fact]
    public void Foundations_DependOnNoOtherLayer() =>
        Check(Foundations, [.. Domain, "Health", .. Orchestration]);

    [Fact]
    public void Diagnostics_IsTheBottom() =>
        Check(["Diagnostics"], ["Configuration", "Processes", "Concurrency"]);

    [Fact]
    public void Configuration_DependsOnlyOnDiagnostics() =>
        Check(["Configuration"], ["Processes", "Concurrency"]);

    [Fact]
    public void Domain_DependsOnNeitherHealthNorOrchestration() =>
        Check(Domain, ["Health", .. Orchestration]);

    [Fact]
    public void Health_DependsOnNoOrchestration() =>
        Check(["Health"], Orchestration);

    /// <summary>The composition root (AddPgStandbyCore) wires every layer; nothing in them may use it.</summary>
    [Fact]
    public void NoLayer_DependsOnTheCompositionRoot() =>
        Types().That().ResideInNamespaceMatching(@"^PgStandby\.Core\.\w+$")
            .Should().NotDependOnAny(Types().That().ResideInNamespaceMatching(@"^PgStandby\.Core$"))
            .Check(Core);

    private static void Check(IEnumerable<string> from, IEnumerable<string> forbidden)
    {
        var sources = Pattern(from);
        var targets = Pattern(forbidden);
        Types().That().ResideInNamespaceMatching(sources)
            .Should().NotDependOnAny(Types().That().ResideInNamespaceMatching(targets))
            .Check(Core);
    }

    private static string Pattern(IEnumerable<string> names) => $"^PgStandby\\.Core\\.({string.Join('|', names)})$";
}
