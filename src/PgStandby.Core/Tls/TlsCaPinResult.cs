namespace PgStandby.Core.Tls;

/// <summary>A CA to pin, or why the PEM given cannot be one (the problem names the fix).</summary>
public sealed record TlsCaPinResult(TlsCaPin? Pin, string? Problem);
