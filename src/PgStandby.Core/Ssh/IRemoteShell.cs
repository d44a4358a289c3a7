namespace PgStandby.Core.Ssh;

/// <summary>Runs commands on the primary over SSH. The worker only ever runs pgbackrest there.</summary>
public interface IRemoteShell
{
    /// <summary>
    /// Runs <c>pgbackrest</c> once per argument list (each argument quoted by <see cref="ShellQuote"/>), one
    /// after the other over one SSH connection, a session each: one key exchange and one login for all of them.
    /// </summary>
    /// <returns>The results, in the order of <paramref name="commands"/>.</returns>
    /// <exception cref="PrimaryUnavailableException">The primary cannot be reached or refuses the key.</exception>
    Task<IReadOnlyList<RemoteResult>> RunPgBackRestAsync(IReadOnlyList<IReadOnlyList<string>> commands, CancellationToken cancellationToken);

    /// <summary>
    /// The primary's host key this shell last accepted, as "type fingerprint (why it was trusted)", so that the status
    /// can show it for an operator to compare with the primary's own; null before any was accepted.
    /// </summary>
    string? TrustedHostKey { get; }
}
