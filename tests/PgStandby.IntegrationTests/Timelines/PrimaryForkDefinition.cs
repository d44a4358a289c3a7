namespace PgStandby.IntegrationTests.Timelines;

/// <summary>Tests on a primary restored to an earlier point and promoted: a primary of their own, never the shared world's.</summary>
[CollectionDefinition(Name)]
public sealed class PrimaryForkDefinition : ICollectionFixture<TimelineWorld>
{
    public const string Name = "timelines-fork";
}
