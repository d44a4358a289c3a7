using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Health;
using PgStandby.Core.Keys;
using PgStandby.Core.Processes;
using PgStandby.Core.Ssh;
using PgStandby.Core.Tls;

namespace PgStandby.Core.Repository;

/// <summary>
/// Waits, in named states, until the primary's repository can be restored from: SSH reachable, the
/// standby's key authorized, the stanza created, a backup taken. Retries at a short steady interval so
/// the worker goes on by itself within seconds of the operator acting.
/// </summary>
public sealed class RepositoryWaiter(
    IRemoteShell primary,
    HealthState health,
    IOptions<RepositoryOptions> repository,
    IOptions<StandbyOptions> standby,
    IOptions<SupervisionOptions> supervision,
    TimeProvider time,
    ILogger<RepositoryWaiter> logger,
    TlsClientCredentials? tls = null)
{
    public async Task<RepositoryInfo> WaitForBackupAsync(CancellationToken cancellationToken)
    {
        var options = repository.Value;
        while (true)
        {
            var info = await ReadInfoAsync(cancellationToken).ConfigureAwait(false);
            if (info is not null)
            {
                Log.RepositoryReady(logger, options.Stanza, options.PrimaryHost, info.NewestBackup ?? "?");
                health.SetPublicKey(null);
                return info;
            }

            await Task.Delay(supervision.Value.RetryInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// <c>pgbackrest info</c> once, for a decision while postgres runs (a stall): null when the primary cannot be
    /// asked or info fails. The health state is left alone: the caller says what it means.
    /// </summary>
    public async Task<RepositoryInfo?> PeekAsync(CancellationToken cancellationToken)
    {
        try
        {
            var results = await RunAsync([InfoArguments()], cancellationToken).ConfigureAwait(false);
            return results[0].ExitCode == 0 ? RepositoryInfo.Parse(results[0].StandardOutput, repository.Value.Stanza) : null;
        }
        catch (Exception exception) when (exception is PrimaryUnavailableException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Runs pgbackrest on the primary; the host key it trusted goes to the status, even when a command then fails.</summary>
    private async Task<IReadOnlyList<RemoteResult>> RunAsync(IReadOnlyList<IReadOnlyList<string>> commands, CancellationToken cancellationToken)
    {
        try
        {
            return await primary.RunPgBackRestAsync(commands, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (primary.TrustedHostKey is { } hostKey)
            {
                health.SetPrimaryHostKey(hostKey);
            }

            if (tls?.Current is { } certificate)
            {
                health.SetTlsCertificate(new TlsCertificateStatus(certificate.Subject, certificate.NotAfter, certificate.FingerprintSha256));
            }
        }
    }

    /// <summary>The arguments of <c>pgbackrest info</c> on the primary, with its config when BACKREST_PRIMARY_CONFIG is set.</summary>
    public IReadOnlyList<string> InfoArguments()
    {
        var options = repository.Value;
        var arguments = new List<string>();
        if (options.PrimaryConfig is not null)
        {
            arguments.Add("--config=" + options.PrimaryConfig);
        }

        arguments.AddRange(["--stanza=" + options.Stanza, "--output=json", "info"]);
        return arguments;
    }

    private async Task<RepositoryInfo?> ReadInfoAsync(CancellationToken cancellationToken)
    {
        var options = repository.Value;
        var sshDirectory = standby.Value.SshDirectory;
        IReadOnlyList<RemoteResult> results;
        try
        {
            // The version goes along (a second session of the same connection) for the pre-restore check: no second SSH login.
            results = await RunAsync([InfoArguments(), VersionArguments], cancellationToken).ConfigureAwait(false);
        }
        catch (PrimaryUnavailableException exception) when (exception.Kind == PrimaryUnavailableKind.KeyNotAuthorized && options.Transport == RepositoryTransport.Tls)
        {
            WaitForCertificate(exception);
            return null;
        }
        catch (PrimaryUnavailableException exception) when (exception.Kind == PrimaryUnavailableKind.KeyNotAuthorized)
        {
            var publicKey = StandbyKeyPair.ReadPublicKey(sshDirectory) ?? "(missing)";
            if (health.State != StandbyState.WaitingForKeyAuthorization)
            {
                // The copyable block is printed once each time the worker starts waiting for the key.
                Log.PublicKey(logger, PublicKeyBanner.Format(publicKey, AuthorizedKeysHint(options), options.SshUser));
            }

            health.SetPublicKey(publicKey);
            health.Set(
                StandbyState.WaitingForKeyAuthorization,
                $"the primary {options.SshUser}@{options.PrimaryHost} does not accept the standby's SSH key yet",
                $"{PublicKeyBanner.NextStep(publicKey, AuthorizedKeysHint(options), options.SshUser)} — the worker retries every {supervision.Value.RetryInterval.TotalSeconds:0} s and goes on by itself");
            return null;
        }
        catch (PrimaryUnavailableException exception) when (exception.Kind == PrimaryUnavailableKind.Unreachable)
        {
            health.Set(
                StandbyState.WaitingForPrimary,
                exception.Message,
                options.Transport == RepositoryTransport.Tls
                    ? $"check that BACKREST_PRIMARY_HOST={options.PrimaryHost} and BACKREST_PRIMARY_TLS_PORT={options.TlsPort} are right and that pgBackRest's TLS server runs on the primary (setup-primary.sh --tls-server) and is reachable from here"
                    : $"check that BACKREST_PRIMARY_HOST={options.PrimaryHost} and BACKREST_PRIMARY_SSH_PORT={options.SshPort} are right and that sshd runs on the primary and is reachable from here");
            return null;
        }
        catch (PrimaryUnavailableException exception) when (options.Transport == RepositoryTransport.Tls)
        {
            var pinned = TlsClientFiles.CaPathIn(standby.Value.TlsDirectory);
            throw StandbyException.Refused(
                $"the TLS server at {options.PrimaryHost}:{options.TlsPort} is not trusted: {exception.Message}",
                $"if the primary's CA really changed, set BACKREST_PRIMARY_TLS_CA to the new one (or remove {pinned} to pin the CA of the next certificate placed); otherwise find out who answers on that address");
        }
        catch (PrimaryUnavailableException exception)
        {
            throw StandbyException.Refused(
                $"SSH host key of {options.PrimaryHost} refused: {exception.Message}",
                $"if the primary's host key really changed, remove its line from {Path.Combine(sshDirectory, "known_hosts")} or set BACKREST_PRIMARY_HOST_KEY to the new key (ssh-keyscan -p {options.SshPort} {options.PrimaryHost}); otherwise find out who answers on that address");
        }

        return Interpret(results[0], options) is { } info ? info with { PrimaryVersion = results[1] } : null;
    }

    private static readonly string[] VersionArguments = ["version"];

    /// <summary>No signed client certificate yet, or one the primary's TLS server refuses: the request's block, once per wait.</summary>
    private void WaitForCertificate(PrimaryUnavailableException exception)
    {
        var folder = standby.Value.TlsDirectory;
        var requestPath = TlsClientFiles.RequestPathIn(folder);
        var certificatePath = TlsClientFiles.CertificatePathIn(folder);
        if (health.State != StandbyState.WaitingForKeyAuthorization && SafeFile.ReadText(requestPath) is { } request)
        {
            Log.PublicKey(logger, TlsRequestBanner.Format(request, TlsClientIdentity.ReadCommonName(request) ?? "?", requestPath, certificatePath));
        }

        health.Set(
            StandbyState.WaitingForKeyAuthorization,
            exception.Message,
            $"{TlsRequestBanner.NextStep(requestPath, certificatePath)} — the worker retries every {supervision.Value.RetryInterval.TotalSeconds:0} s and goes on by itself");
    }

    private RepositoryInfo? Interpret(RemoteResult result, RepositoryOptions options)
    {
        var stanzaCreate = $"on the primary, as postgres: pgbackrest --stanza={options.Stanza} stanza-create, then pgbackrest --stanza={options.Stanza} backup (seed step 7)";
        const string OtherStanza = "pgbackrest-only: refused: --stanza other than ";
        if (result.ExitCode != 0 && result.StandardError.IndexOf(OtherStanza, StringComparison.Ordinal) is var at and >= 0)
        {
            // setup-primary.sh's forced command serves the primary's own stanza only.
            var served = result.StandardError[(at + OtherStanza.Length)..].Split('\n')[0].Trim();
            health.Set(
                StandbyState.WaitingForBackup,
                $"stanza {options.Stanza} not found on {options.PrimaryHost}: the primary's forced command serves stanza {served} only",
                $"set BACKREST_STANZA={served}, or if {options.Stanza} is right: {stanzaCreate}, and run setup-primary.sh --stanza {options.Stanza} --authorize-key again");
            return null;
        }

        if (result.ExitCode != 0)
        {
            health.Set(
                StandbyState.WaitingForBackup,
                $"pgbackrest info failed on {options.PrimaryHost}: {PgBackRestErrors.Describe(result.ExitCode)}: {result.Tail()}",
                result.ExitCode == 127 ? "install pgbackrest on the primary (seed step 1)" : $"check pgBackRest's configuration on the primary; {stanzaCreate}");
            return null;
        }

        RepositoryInfo info;
        try
        {
            info = RepositoryInfo.Parse(result.StandardOutput, options.Stanza);
        }
        catch (JsonException)
        {
            health.Set(StandbyState.WaitingForBackup, $"pgbackrest info on {options.PrimaryHost} did not print JSON: {result.Tail()}", "check that the primary runs pgBackRest 2.x");
            return null;
        }

        if (info.StanzaMissing)
        {
            health.Set(StandbyState.WaitingForBackup, $"stanza {options.Stanza} not found in the repository on {options.PrimaryHost} ({info.StatusMessage})", stanzaCreate);
            return null;
        }

        if (!info.HasBackup)
        {
            health.Set(StandbyState.WaitingForBackup, $"stanza {options.Stanza} on {options.PrimaryHost} has no usable backup yet ({info.StatusMessage})", $"on the primary, as postgres: pgbackrest --stanza={options.Stanza} backup");
            return null;
        }

        return info;
    }

    private static string AuthorizedKeysHint(RepositoryOptions options) =>
        options.SshUser == "root" ? "/root/.ssh/authorized_keys" : $"~{options.SshUser}/.ssh/authorized_keys";
}
