namespace PgStandby.Core.Ssh;

/// <summary>BACKREST_PRIMARY_HOST_KEY: either a whole key (from a known_hosts line) or only its SHA256 fingerprint.</summary>
public sealed record PinnedHostKey(SshKeyBlob? Key, string Fingerprint)
{
    public bool Matches(SshKeyBlob presented) =>
        Key is not null ? Key.SameAs(presented) : string.Equals(Fingerprint, presented.FingerprintSha256, StringComparison.Ordinal);

    /// <summary>Accepts "SHA256:…", "type base64 [comment]" or "host type base64 [comment]".</summary>
    public static PinnedHostKey? TryParse(string text)
    {
        text = text.Trim();
        if (text.StartsWith("SHA256:", StringComparison.Ordinal))
        {
            var fingerprint = text.TrimEnd('=');
            return fingerprint.Length > 20 && !fingerprint.Contains(' ', StringComparison.Ordinal) ? new PinnedHostKey(null, fingerprint) : null;
        }

        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i + 1 < fields.Length && i < 2; i++)
        {
            if (LooksLikeKeyType(fields[i]) && SshKeyBlob.FromBase64(fields[i + 1]) is { } blob && blob.KeyType == fields[i])
            {
                return new PinnedHostKey(blob, blob.FingerprintSha256);
            }
        }

        return null;
    }

    private static bool LooksLikeKeyType(string field) =>
        field.StartsWith("ssh-", StringComparison.Ordinal) || field.StartsWith("ecdsa-", StringComparison.Ordinal)
        || field.StartsWith("sk-", StringComparison.Ordinal);
}
