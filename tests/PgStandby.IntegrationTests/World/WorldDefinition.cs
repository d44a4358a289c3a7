namespace PgStandby.IntegrationTests.World;

[CollectionDefinition(Name)]
public sealed class WorldDefinition : ICollectionFixture<PrimaryWorld>
{
    public const string Name = "world";
}
