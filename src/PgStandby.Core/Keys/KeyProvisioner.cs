using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Processes;

namespace PgStandby.Core.Keys;

/// <summary>Creates the standby's ed25519 key pair on first start, never again; SSH.NET cannot generate keys, so ssh-keygen does.</summary>
public sealed class KeyProvisioner(
    ICommandRunner runner,
    FolderPreparer folders,
    IOptions<StandbyOptions> options,
    ILogger<KeyProvisioner> logger)
{
    private static readonly UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public async Task<StandbyKeyPair> EnsureAsync(CancellationToken cancellationToken)
    {
        var sshDirectory = options.Value.SshDirectory;
        folders.EnsureFolder(sshDirectory, OwnerOnly | UnixFileMode.UserExecute, recursive: true);

        var privateKey = StandbyKeyPair.PrivateKeyPathIn(sshDirectory);
        var publicKeyPath = StandbyKeyPair.PublicKeyPathIn(sshDirectory);
        if (File.Exists(privateKey))
        {
            Log.KeyReused(logger, privateKey);
        }
        else
        {
            var comment = "pgstandby@" + Environment.MachineName;
            var result = await runner.RunAsync(
                new CommandSpec("ssh-keygen", ["-q", "-t", "ed25519", "-N", string.Empty, "-C", comment, "-f", privateKey]),
                cancellationToken).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                throw StandbyException.Failing(
                    $"ssh-keygen could not create {privateKey} (exit {result.ExitCode}): {result.Tail()}",
                    $"check that {sshDirectory} is writable by the postgres user and that openssh-client is installed");
            }

            Log.KeyGenerated(logger, privateKey);
        }

        SafeFile.SetMode(privateKey, OwnerOnly);
        if (SafeFile.ReadText(publicKeyPath) is not { } publicKey)
        {
            throw StandbyException.Refused(
                $"{publicKeyPath} is missing while {privateKey} exists",
                $"restore {publicKeyPath} (ssh-keygen -y -f {privateKey} > {publicKeyPath}) or remove both files to get a new key");
        }

        return new StandbyKeyPair(privateKey, publicKey.Trim());
    }
}
