namespace PgStandby.IntegrationTests.Timelines;

/// <summary>Tests on a primary replaced by a promoted second node: a primary of their own, never the shared world's.</summary>
[CollectionDefinition(Name)]
public sealed class FailoverDefinition : ICollectionFixture<TimelineWorld>
{
    public const string Name = "timelines-failover";
}
