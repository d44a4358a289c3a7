using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Deployment;

/// <summary>
/// The Swarm service test: a primary of its own (it throttles the primary's ports on loopback), so that it
/// runs beside the other collections' tests instead of after them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SwarmDefinition : ICollectionFixture<PrimaryWorld>
{
    public const string Name = "swarm";
}
