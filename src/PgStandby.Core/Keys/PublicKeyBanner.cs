namespace PgStandby.Core.Keys;

/// <summary>The block printed in the logs so an operator can copy the key as is (the seed's step 6).</summary>
public static class PublicKeyBanner
{
    public static string Format(string publicKey, string authorizedKeysHint) => string.Join(
        Environment.NewLine,
        "==================== PGSTANDBY PUBLIC KEY ====================",
        "Add this line to the primary's authorized_keys (" + authorizedKeysHint + "):",
        string.Empty,
        publicKey,
        string.Empty,
        "On the primary, as root:",
        "  echo '" + publicKey + "' >> " + authorizedKeysHint,
        "  chmod 600 " + authorizedKeysHint,
        "or, restricted to pgBackRest: deploy/primary/setup-primary.sh --authorize-key '" + publicKey + "'",
        "==============================================================");
}
