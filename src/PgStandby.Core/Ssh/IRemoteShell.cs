namespace PgStandby.Core.Ssh;

/// <summary>Runs commands on the primary over SSH. The worker only ever runs pgbackrest there.</summary>
public interface IRemoteShell
{
    /// <summary>Runs <c>pgbackrest</c> with <paramref name="arguments"/>, each quoted by <see cref="ShellQuote"/>.</summary>
    /// <exception cref="PrimaryUnavailableException">The primary cannot be reached or refuses the key.</exception>
    Task<RemoteResult> RunPgBackRestAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken);
}
