using System.Text.Json.Serialization;

namespace PgStandby.Core.Health;

/// <summary>The standby's TLS client certificate as the status shows it; <c>expires_soon</c> within 30 days of its end.</summary>
public sealed record TlsCertificateStatus(
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("not_after")] DateTimeOffset NotAfter,
    [property: JsonPropertyName("fingerprint")] string Fingerprint,
    [property: JsonPropertyName("expires_soon")] bool ExpiresSoon);
