using PgStandby.IntegrationTests.Timelines;

namespace PgStandby.IntegrationTests.Promotion;

/// <summary>Tests that stop the primary and promote a standby: a primary of their own, never the shared world's.</summary>
[CollectionDefinition(Name)]
public sealed class PromotionDefinition : ICollectionFixture<TimelineWorld>
{
    public const string Name = "promotion";
}
