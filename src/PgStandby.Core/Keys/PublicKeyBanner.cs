namespace PgStandby.Core.Keys;

/// <summary>
/// The block printed in the logs so an operator can copy the key as is: for the primary's read-only account
/// (setup-primary.sh --authorize-key, then BACKREST_PRIMARY_USER) or for the account the worker logs in as (the seed's step 6).
/// </summary>
public static class PublicKeyBanner
{
    /// <summary>The account setup-primary.sh makes for standbys by default.</summary>
    public const string ReadOnlyAccount = "pgstandby";

    /// <summary>
    /// The block for the account the worker logs in as: the read-only account gets the one command that authorizes
    /// a key for it (its authorized_keys is root's and holds restricted entries: never appended to by hand); another
    /// account gets that way first, then the seed's step 6 for itself.
    /// </summary>
    public static string Format(string publicKey, string authorizedKeysHint, string sshUser) => string.Join(
        Environment.NewLine,
        [
            "==================== PGSTANDBY PUBLIC KEY ====================",
            "Authorize this key on the primary (this worker logs in as " + sshUser + ", BACKREST_PRIMARY_USER):",
            string.Empty,
            publicKey,
            string.Empty,
            .. sshUser == ReadOnlyAccount
                ? (string[])
                [
                    "On the primary, as root (the read-only account " + ReadOnlyAccount + "):",
                    "  deploy/primary/setup-primary.sh --authorize-key '" + publicKey + "'",
                ]
                :
                [
                    "Read-only (recommended), on the primary as root:",
                    "  deploy/primary/setup-primary.sh --authorize-key '" + publicKey + "'",
                    "  then on this standby: BACKREST_PRIMARY_USER=" + ReadOnlyAccount,
                    "Or for " + sshUser + " itself (the seed's step 6), on the primary as root:",
                    "  echo '" + publicKey + "' >> " + authorizedKeysHint,
                    "  chmod 600 " + authorizedKeysHint,
                ],
            "==============================================================",
        ]);

    /// <summary>The next step while the key is refused, with the case of a key authorized for the other account.</summary>
    public static string NextStep(string publicKey, string authorizedKeysHint, string sshUser) => sshUser == ReadOnlyAccount
        ? $"on the primary, as root: setup-primary.sh --authorize-key '{publicKey}' (the read-only account {sshUser}); a key added by hand to ~postgres/.ssh/authorized_keys (seed step 6) lets in postgres, not {sshUser}: then set BACKREST_PRIMARY_USER=postgres"
        : $"add this key to {authorizedKeysHint} on the primary (seed step 6): {publicKey}; or, read-only, setup-primary.sh --authorize-key '{publicKey}' on the primary, then BACKREST_PRIMARY_USER={ReadOnlyAccount} here (a key authorized with setup-primary.sh lets in {ReadOnlyAccount}, not {sshUser})";
}
