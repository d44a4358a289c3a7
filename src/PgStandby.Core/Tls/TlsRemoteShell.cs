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

        // The primary's own config (BACKREST_PRIMARY_CONFIG) is the server's business: this side uses the rendered one.
        List<string> local = ["--config=" + standby.Value.PgBackRestConfig, .. arguments.Where(a => !a.StartsWith("--config=", StringComparison.Ordinal))];
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

        var remote = new RemoteResult(result.ExitCode, result.StandardOutput, result.StandardError);
        return result.ExitCode == 0 ? remote : TlsClientErrors.Classify(remote, options);
    }
}
