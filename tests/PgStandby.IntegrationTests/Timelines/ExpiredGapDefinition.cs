namespace PgStandby.IntegrationTests.Timelines;

/// <summary>Tests on a primary whose backups and WAL are expired with a retention of 1: a primary of their own, never the shared world's.</summary>
[CollectionDefinition(Name)]
public sealed class ExpiredGapDefinition : ICollectionFixture<TimelineWorld>
{
    public const string Name = "timelines-expired";
}
