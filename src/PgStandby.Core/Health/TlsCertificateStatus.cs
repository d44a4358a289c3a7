using System.Text.Json.Serialization;
using PgStandby.Core.Tls;

namespace PgStandby.Core.Health;

/// <summary>The standby's TLS client certificate as the status shows it.</summary>
public sealed record TlsCertificateStatus(
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("not_after")] DateTimeOffset NotAfter,
    [property: JsonPropertyName("fingerprint")] string Fingerprint)
{
    /// <summary>Within <see cref="TlsClientCredentials.ExpiryWarning"/> of its end (or past it), as of each rewrite of the status: a standby that runs for a year still warns.</summary>
    [JsonPropertyName("expires_soon")]
    public bool ExpiresSoon => NotAfter - DateTimeOffset.UtcNow <= TlsClientCredentials.ExpiryWarning;
}
