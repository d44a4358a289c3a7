namespace PgStandby.IntegrationTests.Timelines;

/// <summary>Tests on a primary failed over, then restored onto its older timeline: a primary of their own, never the shared world's.</summary>
[CollectionDefinition(Name)]
public sealed class AncestorTimelineDefinition : ICollectionFixture<TimelineWorld>
{
    public const string Name = "timelines-ancestor";
}
