namespace PgStandby.Core.Ssh;

/// <summary>The verdict on the key a primary presents.</summary>
public sealed record HostKeyTrust(bool Accepted, bool Record, string Reason)
{
    /// <summary>
    /// Pinned key: only it is accepted. Otherwise trust on first use: a host with no entry is accepted
    /// and recorded; a host whose recorded key differs is refused, never silently accepted.
    /// </summary>
    public static HostKeyTrust Decide(SshKeyBlob presented, PinnedHostKey? pinned, IReadOnlyList<SshKeyBlob> recorded)
    {
        if (pinned is not null)
        {
            return pinned.Matches(presented)
                ? new HostKeyTrust(true, !recorded.Any(presented.SameAs), "matches BACKREST_PRIMARY_HOST_KEY")
                : new HostKeyTrust(false, false, $"the primary presented {presented.FingerprintSha256}, which is not the key pinned in BACKREST_PRIMARY_HOST_KEY ({pinned.Fingerprint})");
        }

        if (recorded.Count == 0)
        {
            return new HostKeyTrust(true, true, "first connection: trusted on first use");
        }

        if (recorded.Any(presented.SameAs))
        {
            return new HostKeyTrust(true, false, "matches known_hosts");
        }

        // A recorded key of another type is not a mismatch unless this type was recorded too.
        return recorded.Any(k => k.KeyType == presented.KeyType)
            ? new HostKeyTrust(false, false, $"the primary's {presented.KeyType} host key changed: it presented {presented.FingerprintSha256}, known_hosts holds another")
            : new HostKeyTrust(false, false, $"the primary presented a {presented.KeyType} key ({presented.FingerprintSha256}) but known_hosts holds only other key types for it");
    }
}
