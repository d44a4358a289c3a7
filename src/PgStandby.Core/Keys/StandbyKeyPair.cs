namespace PgStandby.Core.Keys;

/// <summary>The standby's SSH identity: id_ed25519 and id_ed25519.pub in the SSH folder.</summary>
public sealed record StandbyKeyPair(string PrivateKeyPath, string PublicKey)
{
    public const string PrivateKeyName = "id_ed25519";

    public static string PrivateKeyPathIn(string sshDirectory) => Path.Combine(sshDirectory, PrivateKeyName);

    public static string PublicKeyPathIn(string sshDirectory) => PrivateKeyPathIn(sshDirectory) + ".pub";

    /// <summary>Reads the public key alone, for <c>pgstandby show-key</c>; null when none was generated yet.</summary>
    public static string? ReadPublicKey(string sshDirectory)
    {
        var path = PublicKeyPathIn(sshDirectory);
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }
}
