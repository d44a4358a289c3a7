using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Security;

/// <summary>
/// The standbys' account made by setup-primary.sh: a standby works through it, and its key, stolen, can neither
/// write, remove, stop nor read anything outside the repository on the primary.
/// </summary>
[Collection(WorldDefinition.Name)]
public sealed class ReadOnlyAccountTests(PrimaryWorld world)
{
    [WorldFact]
    public async Task ReadOnlyAccount_BootstrapAndAsyncArchiveCatchUp_WorkAndSendOnlyAllowedCommands()
    {
        await using var standby = world.NewStandby("read-only-account");
        standby.Environment["PG_REPLICATION_PASSWORD"] = "not the password";   // no streaming: every WAL comes from the archive
        await standby.PreAuthorizeAsync(world.ReadOnlyAccount);
        standby.Start();
        await standby.WaitForStateAsync("catching_up_from_archive", TimeSpan.FromMinutes(3));

        var fingerprint = await world.WriteProbeRowsAsync("read-only-account");
        await world.SqlAsync("SELECT pg_switch_wal()");
        await standby.WaitForProbeAsync(fingerprint, TimeSpan.FromMinutes(2));

        var status = await standby.RunVerbAsync("status");
        Assert.Contains(world.ReadOnlyAccount + "@127.0.0.1", status.StandardOutput, StringComparison.Ordinal);
        // The capture the forced command's allow-list was built from: this standby's remotes, all accepted.
        var lines = (await File.ReadAllLinesAsync(world.ForcedCommandLog)).Where(l => l.Contains("--pg1-path=" + standby.DataDirectory + " ", StringComparison.Ordinal)).ToList();
        Assert.Contains(lines, l => l.Contains(" ACCEPTED " + world.ReadOnlyAccount + "@", StringComparison.Ordinal) && l.EndsWith(" restore:remote", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(" ACCEPTED " + world.ReadOnlyAccount + "@", StringComparison.Ordinal) && l.EndsWith(" --stanza=psql archive-get:remote", StringComparison.Ordinal) && l.Contains(" --archive-async ", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(" REFUSED ", StringComparison.Ordinal));
    }

    [WorldFact]
    public async Task StolenReadOnlyKey_EveryAttack_FailsAndNothingOnThePrimaryChanges()
    {
        var key = await StolenKey.AuthorizeAsync(world, "stolen-key", world.ReadOnlyAccount);
        var primary = world.PrimaryDirectory;
        var config = "--config=" + world.PgBackRestConfig;
        var stanza = "--stanza=" + world.Stanza;
        var postgresHome = (await Shell.RunAsync("getent", ["passwd", "postgres"])).Split(':')[5];
        // From the repository to the primary's other files, as a path relative to the repository (the remote resolves it).
        string Outside(string path) => Path.GetRelativePath(world.RepoPath, path);

        // Stopped, the primary's files hold still: any difference afterwards is the attack's. The lock folder is missing,
        // as after a boot had emptied it: nobody but postgres may make it again.
        await world.StopPrimaryAsync();
        try
        {
            Directory.Delete(world.LockPath, recursive: true);
            string[] watched = [world.RepoPath, world.PrimaryDataDirectory, world.PgBackRestConfig, world.ReplicationPasswordFile, Path.Combine(postgresHome, ".ssh"), .. Directory.GetFiles(primary, "authorized_keys*")];
            var before = FileChecksums.Take(watched);

            // Through SSH, each refused by the forced command.
            string[] refused =
            [
                $"pgbackrest {config} {stanza} --force stanza-delete",
                $"pgbackrest {config} {stanza} stop",
                $"pgbackrest {config} {stanza} expire",
                $"pgbackrest {config} {stanza} --type=full backup",
                $"pgbackrest {config} {stanza} archive-push {world.PrimaryDataDirectory}/pg_wal/000000010000000000000001",
                $"pgbackrest {config} {stanza} repo-put backup/psql/backup.info",
                $"pgbackrest {config} {stanza} --recurse repo-rm backup",
                $"pgbackrest {config} {stanza} repo-get {Outside(world.ReplicationPasswordFile)}",
                $"pgbackrest {config} {stanza} --pg1-path={world.PrimaryDataDirectory} --delta restore",
                $"pgbackrest {config} {stanza} stanza-upgrade",
                $"pgbackrest --config=/etc/passwd {stanza} info",
                $"pgbackrest {config} --repo1-path=/ {stanza} info",
                $"pgbackrest {config} --cmd-ssh=/bin/sh {stanza} info",
                $"pgbackrest {config} --lock-path=/tmp {stanza} info",
                $"pgbackrest {config} --log-path={primary} --log-level-file=detail {stanza} info",
                $"pgbackrest {config} --repo1-path={primary} {stanza} --remote-type=repo --process=0 archive-get:remote",
                $"pgbackrest {config} {stanza} --remote-type=pg --process=0 archive-get:remote",
                $"pgbackrest {config} --repo1-host=127.0.0.1 {stanza} info",
                $"pgbackrest {config} --stanza=other info",
                "pgbackrest version; id",
                "pgbackrest version $(id)",
                "pgbackrest version `id`",
                "pgbackrest 'version'",
                "pgbackrest  version",
                "pgbackrest version\nid",
                "sh -c id",
                "id",
                "scp -t /tmp",
                "internal-sftp",
            ];
            foreach (var command in refused)
            {
                var result = await key.SshAsync(command);
                Assert.True(result.ExitCode != 0 && result.StandardError.Contains("pgbackrest-only: refused", StringComparison.Ordinal), $"'{command}' was not refused: exit {result.ExitCode}\n{result.StandardOutput}\n{result.StandardError}");
            }

            // A shell, a terminal, file transfer and forwarding.
            var shell = await key.SshAsync(null);
            Assert.NotEqual(0, shell.ExitCode);
            Assert.Contains("pgbackrest-only: refused: no command", shell.StandardError, StringComparison.Ordinal);
            var terminal = await key.SshAsync(null, "-tt");
            Assert.NotEqual(0, terminal.ExitCode);
            Assert.Contains("PTY allocation request failed", terminal.StandardOutput + terminal.StandardError, StringComparison.Ordinal);
            var payload = Path.Combine(world.Root, "stolen-key", "payload");
            await File.WriteAllTextAsync(payload, "payload");
            Assert.NotEqual(0, (await key.ScpAsync(payload, Outside(payload))).ExitCode);
            Assert.NotEqual(0, (await key.SftpAsync("put " + payload + " /tmp/stolen-key-payload\nls /\n")).ExitCode);
            Assert.False(File.Exists("/tmp/stolen-key-payload"));
            var forward = await key.SshAsync(null, "-W", "127.0.0.1:" + world.PgPort);
            Assert.NotEqual(0, forward.ExitCode);
            Assert.NotEqual(0, (await key.SshAsync(null, "-N", "-o", "ExitOnForwardFailure=yes", "-R", "0:127.0.0.1:22")).ExitCode);

            // pgBackRest's own protocol client, through archive-get:remote (allowed): the file system says no.
            var writes = new (string[] Arguments, string? Input)[]
            {
                (["repo-put", "backup/" + world.Stanza + "/backup.info"], "forged"),
                (["repo-put", "new-folder/file"], "forged"),
                (["repo-put", Outside(Path.Combine(world.PrimaryDataDirectory, "postgresql.auto.conf"))], "archive_mode = off"),
                (["repo-put", Outside(Path.Combine(postgresHome, ".ssh", "authorized_keys"))], "ssh-ed25519 AAAA attacker"),
                (["repo-put", Outside(Path.Combine(primary, "authorized_keys"))], "ssh-ed25519 AAAA attacker"),
                (["repo-get", Outside(Path.Combine(world.PrimaryDataDirectory, "global", "pg_control"))], null),
                (["repo-get", Outside(Path.Combine(world.PrimaryDataDirectory, "postgresql.auto.conf"))], null),
                (["repo-get", Outside(world.ReplicationPasswordFile)], null),
                (["repo-get", Outside(Path.Combine(postgresHome, ".ssh"))], null),
                (["repo-ls", Outside(Path.Combine(postgresHome, ".ssh"))], null),
                (["repo-ls", Outside(world.PrimaryDataDirectory)], null),
            };
            foreach (var (arguments, input) in writes)
            {
                var result = await key.PgBackRestAsync(arguments, input);
                Assert.True(result.ExitCode != 0 && result.StandardError.Contains("Permission denied", StringComparison.Ordinal), $"pgbackrest {string.Join(' ', arguments)} did not fail with Permission denied: exit {result.ExitCode}\n{result.StandardOutput}\n{result.StandardError}");
                Assert.DoesNotContain(world.ReplicationPassword, result.StandardOutput, StringComparison.Ordinal);
            }

            // archive-push of a segment the archive does not have (with the standby's copy of pg_control, the same system's),
            // then stanza-delete (stop is the client's own, local).
            Directory.CreateDirectory(Path.Combine(key.PgData, "global"));
            File.Copy(Path.Combine(world.PrimaryDataDirectory, "global", "pg_control"), Path.Combine(key.PgData, "global", "pg_control"));
            await File.WriteAllBytesAsync(Path.Combine(key.PgData, "000000010000FFFF000000FE"), new byte[16 * 1024 * 1024]);
            var push = await key.PgBackRestAsync(["archive-push", Path.Combine(key.PgData, "000000010000FFFF000000FE")]);
            Assert.True(push.ExitCode != 0 && push.StandardError.Contains("Permission denied", StringComparison.Ordinal), "archive-push: " + push.StandardError);
            Assert.Equal(0, (await key.PgBackRestAsync(["stop"])).ExitCode);
            var delete = await key.PgBackRestAsync(["--force", "stanza-delete"]);
            Assert.True(delete.ExitCode != 0 && delete.StandardError.Contains("Permission denied", StringComparison.Ordinal), "stanza-delete: " + delete.StandardError);
            Assert.Contains(" archive-get:remote", key.Sent, StringComparison.Ordinal);

            Assert.Equal(before, FileChecksums.Take(watched));
            Assert.False(Directory.Exists(world.LockPath), "the lock folder was made again during the attacks: " + world.LockPath);
            var log = await File.ReadAllTextAsync(world.ForcedCommandLog);
            Assert.Contains("REFUSED " + world.ReadOnlyAccount + "@127.0.0.1: option --cmd-ssh", log, StringComparison.Ordinal);
        }
        finally
        {
            await world.EnsurePrimaryRunningAsync();
            await world.RerunSetupAsync();
        }

        // setup-primary.sh made the lock folder again, postgres's: the primary's own backups and archiving work.
        Assert.Equal("postgres", (await Shell.RunAsync("stat", ["-c", "%U", world.LockPath])).Trim());
        await Shell.AsPostgresAsync("pgbackrest", [config, stanza, "check"], TimeSpan.FromMinutes(2));
        await Shell.AsPostgresAsync("pgbackrest", [config, stanza, "--type=incr", "backup"], TimeSpan.FromMinutes(3));
    }
}
