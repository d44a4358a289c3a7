using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Keys;
using PgStandby.Core.Processes;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace PgStandby.Core.Ssh;

/// <summary>SSH.NET client for the primary: verifies the host key, authenticates with the standby's key.</summary>
public sealed class SshNetRemoteShell(
    IOptions<RepositoryOptions> repository,
    IOptions<StandbyOptions> standby,
    FolderPreparer folders,
    ILogger<SshNetRemoteShell> logger) : IRemoteShell
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A keep-alive this often: a connection a NAT or firewall dropped (packets lost, nothing reset) is noticed.</summary>
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(5);

    /// <summary>The longest one remote command (info, version) may take before the primary counts as unavailable.</summary>
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    public string? TrustedHostKey { get; private set; }

    public async Task<IReadOnlyList<RemoteResult>> RunPgBackRestAsync(IReadOnlyList<IReadOnlyList<string>> commands, CancellationToken cancellationToken)
    {
        var options = repository.Value;
        var keyPath = StandbyKeyPair.PrivateKeyPathIn(standby.Value.SshDirectory);
        var knownHosts = new KnownHosts(Path.Combine(standby.Value.SshDirectory, "known_hosts"));
        var pinned = options.PinnedHostKey is null ? null : PinnedHostKey.TryParse(options.PinnedHostKey);
        HostKeyTrust? verdict = null;
        SshKeyBlob? presented = null;

        using var key = new PrivateKeyFile(keyPath);
        var connection = new ConnectionInfo(options.PrimaryHost, options.SshPort, options.SshUser, new PrivateKeyAuthenticationMethod(options.SshUser, key))
        {
            Timeout = ConnectTimeout,
        };
        using var client = new SshClient(connection);
        client.HostKeyReceived += (_, e) =>
        {
            presented = new SshKeyBlob(e.HostKey);
            verdict = HostKeyTrust.Decide(presented, pinned, knownHosts.Find(options.PrimaryHost, options.SshPort));
            e.CanTrust = verdict.Accepted;
        };

        try
        {
            await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SshConnectionException) when (verdict is { Accepted: false })
        {
            throw new PrimaryUnavailableException(PrimaryUnavailableKind.HostKeyRejected, verdict.Reason);
        }
        catch (SshAuthenticationException exception)
        {
            throw new PrimaryUnavailableException(PrimaryUnavailableKind.KeyNotAuthorized, $"{options.SshUser}@{options.PrimaryHost} refused the standby's key ({exception.Message})", exception);
        }
        catch (Exception exception) when (exception is SocketException or SshException or TimeoutException or IOException)
        {
            throw new PrimaryUnavailableException(PrimaryUnavailableKind.Unreachable, $"cannot reach {options.PrimaryHost}:{options.SshPort} over SSH ({exception.Message})", exception);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PrimaryUnavailableException(PrimaryUnavailableKind.Unreachable, $"no SSH answer from {options.PrimaryHost}:{options.SshPort} within {ConnectTimeout.TotalSeconds:0} s");
        }

        if (verdict is { Record: true } && presented is not null)
        {
            folders.WriteOwnedFile(knownHosts.Path, knownHosts.Render(options.PrimaryHost, options.SshPort, presented), UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Log.HostKeyRecorded(logger, options.PrimaryHost, presented.KeyType, presented.FingerprintSha256, verdict.Reason);
        }

        if (verdict is { Accepted: true } && presented is not null)
        {
            TrustedHostKey = $"{presented.KeyType} {presented.FingerprintSha256} ({verdict.Reason})";
        }

        // One after the other: a primary's sshd may allow a single session at a time (MaxSessions 1).
        client.KeepAliveInterval = KeepAlive;
        var results = new List<RemoteResult>(commands.Count);
        foreach (var arguments in commands)
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(CommandTimeout);
            try
            {
                results.Add(await RunAsync(client, arguments, bounded.Token).ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new PrimaryUnavailableException(PrimaryUnavailableKind.Unreachable, $"pgbackrest {arguments[^1]} on {options.PrimaryHost} did not answer within {CommandTimeout.TotalMinutes:0} min over SSH (a connection dropped on the way, or the primary is frozen)");
            }
            catch (Exception exception) when (exception is SshException or SocketException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                // After the login: a reset connection, a session the primary refuses (MaxSessions), a channel closed under us.
                throw new PrimaryUnavailableException(PrimaryUnavailableKind.Unreachable, $"the SSH connection to {options.PrimaryHost}:{options.SshPort} failed during pgbackrest {arguments[^1]} ({exception.Message})", exception);
            }
        }

        client.Disconnect();
        return results;
    }

    private static async Task<RemoteResult> RunAsync(SshClient client, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        using var command = client.CreateCommand(ShellQuote.Join(["pgbackrest", .. arguments]));
        await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        return new RemoteResult(command.ExitStatus ?? -1, command.Result, command.Error);
    }
}
