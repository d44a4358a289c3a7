using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Deployment;

/// <summary>The Swarm test that stops its primary to promote: a second primary of its own, so both Swarm tests run at once.</summary>
[CollectionDefinition(Name)]
public sealed class SwarmFailoverDefinition : ICollectionFixture<PrimaryWorld>
{
    public const string Name = "swarm-failover";
}
