namespace PgStandby.IntegrationTests.Timelines;

/// <summary>A <see cref="TimelineWorld"/> whose primary also runs pgBackRest's TLS server: timeline tests over TLS.</summary>
public sealed class TlsTimelineWorld() : TimelineWorld(tlsServer: true);

/// <summary>The fork test over TLS: a primary of its own, which it restores to an earlier point.</summary>
[CollectionDefinition(Name)]
public sealed class TlsPrimaryForkDefinition : ICollectionFixture<TlsTimelineWorld>
{
    public const string Name = "primary-fork-tls";
}
