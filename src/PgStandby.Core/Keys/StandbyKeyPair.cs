using PgStandby.Core.Processes;

namespace PgStandby.Core.Keys;

/// <summary>The standby's SSH identity: id_ed25519 and id_ed25519.pub in the SSH folder.</summary>
public sealed record StandbyKeyPair(string PrivateKeyPath, string PublicKey)
{
    public const string PrivateKeyName = "id_ed25519";

    public static string PrivateKeyPathIn(string sshDirectory) => Path.Combine(sshDirectory, PrivateKeyName);

    public static string PublicKeyPathIn(string sshDirectory) => PrivateKeyPathIn(sshDirectory) + ".pub";

    /// <summary>
    /// Reads the public key alone, for <c>pgstandby show-key</c> and the status; null when none was generated yet.
    /// Not through a link: the key is shown to everyone, and postgres owns the folder.
    /// </summary>
    public static string? ReadPublicKey(string sshDirectory) => SafeFile.ReadText(PublicKeyPathIn(sshDirectory))?.Trim();
}
