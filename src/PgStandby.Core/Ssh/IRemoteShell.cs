namespace PgStandby.Core.Ssh;

/// <summary>Runs commands on the primary over SSH. The worker only ever runs pgbackrest there.</summary>
public interface IRemoteShell
{
    /// <summary>
    /// Runs <c>pgbackrest</c> once per argument list (each argument quoted by <see cref="ShellQuote"/>), all at
    /// once over one SSH connection, a channel each: one key exchange and one round trip for all of them.
    /// </summary>
    /// <returns>The results, in the order of <paramref name="commands"/>.</returns>
    /// <exception cref="PrimaryUnavailableException">The primary cannot be reached or refuses the key.</exception>
    Task<IReadOnlyList<RemoteResult>> RunPgBackRestAsync(IReadOnlyList<IReadOnlyList<string>> commands, CancellationToken cancellationToken);
}
