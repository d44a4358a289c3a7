namespace PgStandby.IntegrationTests.World;

/// <summary>A <see cref="PrimaryWorld"/> whose primary also runs pgBackRest's TLS server as the read-only account (primary-up.sh --tls-port).</summary>
public sealed class TlsWorld : IAsyncLifetime
{
    public PrimaryWorld Primary { get; } = new(tlsServer: true);

    public Task InitializeAsync() => Primary.InitializeAsync();

    public Task DisposeAsync() => Primary.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class TlsWorldDefinition : ICollectionFixture<TlsWorld>
{
    public const string Name = "tls-world";
}
