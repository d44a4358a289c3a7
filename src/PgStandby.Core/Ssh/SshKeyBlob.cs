using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace PgStandby.Core.Ssh;

/// <summary>An SSH public key as its wire-format blob: the type is its first string.</summary>
public sealed record SshKeyBlob(byte[] Blob)
{
    /// <summary>The key type as known_hosts spells it (ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256…).</summary>
    public string KeyType
    {
        get
        {
            if (Blob.Length < 4)
            {
                return "unknown";
            }

            var length = BinaryPrimitives.ReadInt32BigEndian(Blob);
            return length > 0 && length <= Blob.Length - 4 ? Encoding.ASCII.GetString(Blob, 4, length) : "unknown";
        }
    }

    /// <summary>"SHA256:…" as ssh-keygen -lf prints it.</summary>
    public string FingerprintSha256 => "SHA256:" + Convert.ToBase64String(SHA256.HashData(Blob)).TrimEnd('=');

    public string Base64 => Convert.ToBase64String(Blob);

    public bool SameAs(SshKeyBlob other) => Blob.AsSpan().SequenceEqual(other.Blob);

    public static SshKeyBlob? FromBase64(string text)
    {
        try
        {
            return new SshKeyBlob(Convert.FromBase64String(text));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
