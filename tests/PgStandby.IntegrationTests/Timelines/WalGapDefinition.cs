namespace PgStandby.IntegrationTests.Timelines;

/// <summary>Tests on a primary whose archive loses a segment: a primary of their own, never the shared world's.</summary>
[CollectionDefinition(Name)]
public sealed class WalGapDefinition : ICollectionFixture<TimelineWorld>
{
    public const string Name = "timelines-gap";
}
