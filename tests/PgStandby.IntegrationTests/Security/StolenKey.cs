using System.Globalization;
using System.Text;
using CliWrap;
using CliWrap.Buffered;
using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Security;

/// <summary>
/// What an attacker who is root on a standby holds: its private key, authorized on the primary for an account.
/// Runs ssh, scp and sftp with it, and pgBackRest's own client against the primary's repository, its remote
/// commands renamed to the one the forced command allows (archive-get:remote), so that the real protocol client
/// sends its write, remove and read requests to a remote the forced command let through.
/// </summary>
internal sealed class StolenKey
{
    private readonly PrimaryWorld _world;
    private readonly string _folder;

    private StolenKey(PrimaryWorld world, string folder, string account)
    {
        _world = world;
        _folder = folder;
        Account = account;
    }

    public string Account { get; }

    public string KeyFile => Path.Combine(_folder, "id_ed25519");

    public static async Task<StolenKey> AuthorizeAsync(PrimaryWorld world, string name, string account, string? fromCidr = null)
    {
        var folder = Path.Combine(world.Root, name);
        Directory.CreateDirectory(folder);
        var stolen = new StolenKey(world, folder, account);
        await Shell.RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", string.Empty, "-C", name, "-f", stolen.KeyFile]);
        await world.AuthorizeAsync((await File.ReadAllTextAsync(stolen.KeyFile + ".pub")).Trim(), account, fromCidr);
        await stolen.WriteClientAsync();
        return stolen;
    }

    private string[] SshOptions(string portOption) =>
    [
        "-i", KeyFile, "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
        "-o", "LogLevel=error", portOption, _world.SshPort.ToString(CultureInfo.InvariantCulture),
    ];

    private string Target => Account + "@127.0.0.1";

    /// <summary>ssh with the key: <paramref name="options"/> before the host, then the remote command as one string (or none).</summary>
    public Task<BufferedCommandResult> SshAsync(string? command, params string[] options) =>
        RunAsync("ssh", [.. SshOptions("-p"), .. options, Target, .. command is null ? Array.Empty<string>() : [command]]);

    public Task<BufferedCommandResult> ScpAsync(string localFile, string remotePath) =>
        RunAsync("scp", [.. SshOptions("-P"), "-O", localFile, Target + ":" + remotePath]);

    public Task<BufferedCommandResult> SftpAsync(string batch) =>
        RunAsync("sftp", [.. SshOptions("-P"), "-b", "-", Target], batch);

    /// <summary>pgBackRest's client, the primary's repository as repo1 over SSH, every remote renamed to archive-get:remote.</summary>
    public Task<BufferedCommandResult> PgBackRestAsync(IEnumerable<string> arguments, string? input = null) =>
        RunAsync("pgbackrest", ["--config=" + Path.Combine(_folder, "pgbackrest.conf"), "--stanza=" + _world.Stanza, .. arguments], input);

    /// <summary>The commands the client sent through SSH, after the rename.</summary>
    public string Sent => File.Exists(Path.Combine(_folder, "sent")) ? File.ReadAllText(Path.Combine(_folder, "sent")) : string.Empty;

    /// <summary>A WAL segment header-valid for the primary, in the client's own PGDATA, for archive-push.</summary>
    public string PgData => Path.Combine(_folder, "pgdata");

    private async Task WriteClientAsync()
    {
        Directory.CreateDirectory(PgData);
        var wrapper = Path.Combine(_folder, "ssh");
        var sent = Path.Combine(_folder, "sent");
        // pgBackRest calls: cmd-ssh OPTIONS... HOST COMMAND. Only the last argument changes.
        await File.WriteAllTextAsync(wrapper, $$"""
            #!/bin/bash
            command=${@: -1}
            command=$(sed -E 's/ [a-z-]+:remote$/ archive-get:remote/' <<<"$command")
            printf '%s\n' "$command" >>'{{sent}}'
            exec ssh -i '{{KeyFile}}' -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes "${@:1:$#-1}" "$command"

            """);
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await File.WriteAllTextAsync(Path.Combine(_folder, "pgbackrest.conf"), $"""
            [global]
            repo1-host=127.0.0.1
            repo1-host-user={Account}
            repo1-host-port={_world.SshPort}
            repo1-host-config={_world.PgBackRestConfig}
            repo1-path={_world.RepoPath}
            cmd-ssh={wrapper}
            log-path={Path.Combine(_folder, "log")}
            lock-path={Path.Combine(_folder, "lock")}
            log-level-file=off
            archive-header-check=n

            [{_world.Stanza}]
            pg1-path={PgData}

            """);
    }

    private static async Task<BufferedCommandResult> RunAsync(string file, IEnumerable<string> arguments, string? input = null)
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var command = Cli.Wrap(file).WithArguments(arguments).WithValidation(CommandResultValidation.None);
        if (input is not null)
        {
            command = command.WithStandardInputPipe(PipeSource.FromString(input));
        }

        return await command.ExecuteBufferedAsync(Encoding.UTF8, cancellation.Token);
    }
}
