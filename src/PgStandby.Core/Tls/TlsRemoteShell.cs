using System.Globalization;
using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Processes;
using PgStandby.Core.Ssh;

namespace PgStandby.Core.Tls;

/// <summary>
/// The primary's repository over pgBackRest's TLS server (BACKREST_REPO_TRANSPORT=tls): there is no shell on the
/// primary, so each command is this standby's own pgbackrest, run as postgres with the rendered pgbackrest.conf
/// (repo1-host-type=tls), whose remote is the primary's server. The client certificate and the pinned CA are
/// checked and written for it first. <c>version</c> answers this standby's version: over TLS pgBackRest compares
/// the versions in its protocol greeting, and a mismatch fails every command (<see cref="TlsClientErrors"/>).
/// </summary>
public sealed class TlsRemoteShell(
    ICommandRunner runner,
    TlsClientCredentials credentials,
    IOptions<RepositoryOptions> repository,
    IOptions<StandbyOptions> standby) : IRemoteShell
{
    /// <summary>How long pgBackRest keeps trying to reach the server, and waits on it, for the worker's own commands.</summary>
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);

    public string? TrustedHostKey { get; private set; }

    public async Task<IReadOnlyList<RemoteResult>> RunPgBackRestAsync(IReadOnlyList<IReadOnlyList<string>> commands, CancellationToken cancellationToken)
    {
        TrustedHostKey = credentials.Prepare();
        var results = new List<RemoteResult>(commands.Count);
        foreach (var arguments in commands)
        {
            results.Add(await RunAsync(arguments, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    private async Task<RemoteResult> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var options = repository.Value;
        if (arguments is ["version"])
        {
            var version = await runner.RunAsync(new CommandSpec("pgbackrest", ["version"]), cancellationToken).ConfigureAwait(false);
            return new RemoteResult(version.ExitCode, version.StandardOutput, version.StandardError);
        }

        // The primary's own config (BACKREST_PRIMARY_CONFIG) reaches the server as repo1-host-config: this side uses the rendered one.
        // A refused connection is retried until io-timeout (60 s): a server that is down is told within seconds instead.
        List<string> local =
        [
            "--config=" + standby.Value.PgBackRestConfig, "--io-timeout=" + ConnectTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            .. arguments.Where(a => !a.StartsWith("--config=", StringComparison.Ordinal)),
        ];
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(SshNetRemoteShell.CommandTimeout);
        CommandResult result;
        try
        {
            result = await runner.RunAsync(new CommandSpec("pgbackrest", local), bounded.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PrimaryUnavailableException(PrimaryUnavailableKind.Unreachable, $"pgbackrest {arguments[^1]} through {options.PrimaryHost}:{options.TlsPort} did not answer within {SshNetRemoteShell.CommandTimeout.TotalMinutes:0} min over TLS (a connection dropped on the way, or the primary is frozen)");
        }

        // pgbackrest info exits 0 when the repository cannot be reached: its JSON holds the error (status code 99).
        return TlsClientErrors.Classify(new RemoteResult(result.ExitCode, result.StandardOutput, result.StandardError), options);
    }
}
