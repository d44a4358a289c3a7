using System.Globalization;
using System.Text.Json;
using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Security;

/// <summary>
/// setup-primary.sh --tls-server: pgBackRest's TLS server runs as the standbys' read-only account, lets in the clients
/// whose CSR the operator signed (--sign-csr) and no other, and, since it applies no argument allow-list, relies on the
/// file system alone: what a client asks to write, remove or read outside the account's rights fails and changes nothing.
/// </summary>
[Collection(TlsWorldDefinition.Name)]
public sealed class TlsServerTests(TlsWorld tls)
{
    private PrimaryWorld World => tls.Primary;

    [WorldFact]
    public async Task TlsServer_RunsAsTheReadOnlyAccount_AndASignedClientReadsTheRepository()
    {
        var pid = World.TlsServerProcessId;
        var status = await File.ReadAllLinesAsync($"/proc/{pid}/status");
        var uid = (await Shell.RunAsync("id", ["-u", World.ReadOnlyAccount])).Trim();
        var postgresGid = (await Shell.RunAsync("id", ["-g", "postgres"])).Trim();
        string Field(string name) => string.Join(' ', status.Single(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..].Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Equal($"{uid} {uid} {uid} {uid}", Field("Uid"));
        Assert.Equal($"{postgresGid} {postgresGid} {postgresGid} {postgresGid}", Field("Gid"));
        Assert.Equal(postgresGid, Field("Groups"));
        Assert.Contains(" server", (await File.ReadAllTextAsync($"/proc/{pid}/cmdline")).Replace('\0', ' '), StringComparison.Ordinal);
        // Its key: the account's, nobody else's (postgres included).
        Assert.Equal($"400 {World.ReadOnlyAccount}", (await Shell.RunAsync("stat", ["-c", "%a %U", Path.Combine(World.TlsDirectory, "server.key")])).Trim());
        Assert.Equal("600 root", (await Shell.RunAsync("stat", ["-c", "%a %U", Path.Combine(World.TlsDirectory, "ca.key")])).Trim());

        var client = await TlsClient.CreateAsync(World, "tls-signed", "tls-signed-standby");
        var bundle = await client.SignAsync();
        Assert.Equal(2, (await File.ReadAllTextAsync(bundle)).Split("-----BEGIN CERTIFICATE-----").Length - 1);
        Assert.Contains("tls-server-auth=tls-signed-standby=" + World.Stanza, await File.ReadAllTextAsync(Path.Combine(World.TlsDirectory, "server.conf")), StringComparison.Ordinal);

        var info = await client.PgBackRestAsync(["--output=json", "info"]);
        Assert.True(info.ExitCode == 0, info.StandardError);
        using var document = JsonDocument.Parse(info.StandardOutput);
        var stanza = document.RootElement[0];
        Assert.True(stanza.GetProperty("status").GetProperty("code").GetInt32() == 0, info.StandardOutput);
        var segment = stanza.GetProperty("archive")[0].GetProperty("min").GetString()!;

        // What restore and archive-get use: a WAL segment from the archive, whole.
        var target = Path.Combine(client.Folder, "segment");
        Directory.CreateDirectory(Path.Combine(client.PgData, "global"));
        File.Copy(Path.Combine(World.PrimaryDataDirectory, "global", "pg_control"), Path.Combine(client.PgData, "global", "pg_control"));
        var get = await client.PgBackRestAsync(["archive-get", segment, target]);
        Assert.True(get.ExitCode == 0, get.StandardError);
        Assert.Equal(16 * 1024 * 1024, new FileInfo(target).Length);
    }

    [WorldFact]
    public async Task TlsServer_ClientsNotSignedOrNotAuthorized_AreRefusedWithPgBackRestsErrors()
    {
        var caKey = Path.Combine(World.TlsDirectory, "ca.key");
        var (otherCa, otherCaKey) = await TlsClient.OtherCaAsync(Path.Combine(World.Root, "tls-other-ca"));

        // info reports a repository it cannot reach in its output and still exits 0: the message is what tells.
        async Task<string> InfoErrorAsync(TlsClient client, params string[] options)
        {
            var result = await client.PgBackRestAsync([.. options, "info"]);
            Assert.True(result.ExitCode == 0, result.StandardError);
            Assert.Contains("status: error", result.StandardOutput, StringComparison.Ordinal);
            return result.StandardOutput;
        }

        var selfSigned = await TlsClient.CreateAsync(World, "tls-self-signed", "tls-self-signed");
        await selfSigned.SelfSignAsync("tls-self-signed");
        Assert.Contains("[ServiceError] TLS error [1:167773208] tlsv1 alert unknown ca", await InfoErrorAsync(selfSigned), StringComparison.Ordinal);

        var otherCaClient = await TlsClient.CreateAsync(World, "tls-other-ca-client", "tls-other-ca-client");
        await otherCaClient.SignWithAsync(otherCa, otherCaKey, 30);
        Assert.Contains("[ServiceError] TLS error [1:167773208] tlsv1 alert unknown ca", await InfoErrorAsync(otherCaClient), StringComparison.Ordinal);

        // Signed by the world's own CA, but expired yesterday.
        var expired = await TlsClient.CreateAsync(World, "tls-expired", "tls-expired");
        await expired.SignWithAsync(World.TlsCaFile, caKey, -1);
        Assert.Contains("[ServiceError] TLS error [1:167773205] sslv3 alert certificate expired", await InfoErrorAsync(expired), StringComparison.Ordinal);

        // Signed by the world's CA, valid, but its CN was never authorized (tls-server-auth).
        var unauthorized = await TlsClient.CreateAsync(World, "tls-unauthorized", "tls-unauthorized");
        await unauthorized.SignWithAsync(World.TlsCaFile, caKey, 30);
        const string AccessDenied = "[AccessError] raised from remote-0 tls protocol on '127.0.0.1': access denied";
        Assert.Contains(AccessDenied, await InfoErrorAsync(unauthorized), StringComparison.Ordinal);

        // Signed and authorized, then revoked (--revoke-tls-cn), and the same key asking for another stanza.
        var revoked = await TlsClient.CreateAsync(World, "tls-revoked", "tls-revoked");
        await revoked.SignAsync();
        var before = await revoked.PgBackRestAsync(["info"]);
        Assert.Contains("status: ok", before.StandardOutput, StringComparison.Ordinal);
        var otherStanza = await revoked.PgBackRestAsync(["info"], stanza: "other");
        Assert.Contains(AccessDenied, otherStanza.StandardOutput, StringComparison.Ordinal);
        await Shell.RunAsync(Path.Combine(RepositoryPaths.Root, "deploy", "primary", "setup-primary.sh"), ["--tls-dir", World.TlsDirectory, "--revoke-tls-cn", "tls-revoked"]);
        Assert.Contains(AccessDenied, await InfoErrorAsync(revoked), StringComparison.Ordinal);
        // A revoked CN is never signed again: its old certificate would be accepted with the new one.
        var again = await TlsClient.CreateAsync(World, "tls-revoked-again", "tls-revoked");
        var refusedSigning = await Assert.ThrowsAsync<InvalidOperationException>(again.SignAsync);
        Assert.Contains("CN 'tls-revoked' was revoked", refusedSigning.Message, StringComparison.Ordinal);
        var spaces = await TlsClient.CreateAsync(World, "tls-bad-cn", "tls bad=cn");
        Assert.Contains("has characters outside", (await Assert.ThrowsAsync<InvalidOperationException>(spaces.SignAsync)).Message, StringComparison.Ordinal);

        // The client's side of the checks: it verifies the server against the CA it pins and the name it dials.
        var signed = await TlsClient.CreateAsync(World, "tls-client-checks", "tls-client-checks");
        await signed.SignAsync();
        signed.CaFile = otherCa;
        Assert.Contains($"[CryptoError] unable to verify certificate presented by '127.0.0.1:{World.TlsPort}': [19] self-signed certificate in certificate chain", await InfoErrorAsync(signed), StringComparison.Ordinal);
        signed.CaFile = World.TlsCaFile;
        // A server that does not run: pgBackRest retries a refused connection until io-timeout (60 s by default).
        var closedPort = FreePort.Next();
        Assert.Contains($"[HostConnectError] unable to connect to '127.0.0.1:{closedPort}': [111] Connection refused", await InfoErrorAsync(signed, "--repo1-host-port=" + closedPort.ToString(CultureInfo.InvariantCulture), "--io-timeout=2"), StringComparison.Ordinal);
        if (World.Network is not null)
        {
            // With an isolated network the server listens on every IPv4 address: 127.0.0.2 reaches it, a name its certificate does not hold.
            Assert.Contains("[CryptoError] unable to find hostname '127.0.0.2' in certificate common name or subject alternative names", await InfoErrorAsync(signed, "--repo1-host=127.0.0.2"), StringComparison.Ordinal);
        }

        // Commands other than info fail with the same messages, as ERROR lines and a non-zero exit.
        var restore = await expired.PgBackRestAsync(["--pg1-path=" + Path.Combine(expired.Folder, "restore"), "restore"]);
        Assert.NotEqual(0, restore.ExitCode);
        Assert.Contains("ERROR: [101]: TLS error [1:167773205] sslv3 alert certificate expired", restore.StandardError + restore.StandardOutput, StringComparison.Ordinal);
    }

    [WorldFact]
    public async Task TlsServer_WritesAndReadsOutsideTheRepository_RefusedByTheFileSystemAndNothingChanges()
    {
        var client = await TlsClient.CreateAsync(World, "tls-attacker", "tls-attacker");
        await client.SignAsync();
        var postgresHome = (await Shell.RunAsync("getent", ["passwd", "postgres"])).Split(':')[5];
        var stanza = World.Stanza;
        Directory.CreateDirectory(Path.Combine(client.PgData, "global"));
        File.Copy(Path.Combine(World.PrimaryDataDirectory, "global", "pg_control"), Path.Combine(client.PgData, "global", "pg_control"));
        await File.WriteAllBytesAsync(Path.Combine(client.PgData, "000000010000FFFF000000FE"), new byte[16 * 1024 * 1024]);

        await World.StopPrimaryAsync();
        try
        {
            string[] watched = [World.RepoPath, World.PrimaryDataDirectory, World.PgBackRestConfig, World.ReplicationPasswordFile, World.TlsDirectory, World.LockPath, Path.Combine(postgresHome, ".ssh")];
            var before = FileChecksums.Take(watched);

            var attempts = new (string[] Arguments, string? Input)[]
            {
                (["repo-put", "backup/" + stanza + "/backup.info"], "forged"),
                (["repo-put", "new-folder/file"], "forged"),
                (["--repo1-path=" + World.PrimaryDataDirectory, "repo-put", "postgresql.auto.conf"], "archive_mode = off"),
                (["--repo1-path=" + Path.Combine(postgresHome, ".ssh"), "repo-put", "authorized_keys"], "ssh-ed25519 AAAA attacker"),
                (["--repo1-path=" + World.TlsDirectory, "repo-put", "server.conf"], "[global:server]\ntls-server-auth=tls-attacker=*\n"),
                (["--repo1-path=" + World.PrimaryDataDirectory, "repo-get", "global/pg_control"], null),
                (["--repo1-path=" + Path.GetDirectoryName(World.ReplicationPasswordFile), "repo-get", Path.GetFileName(World.ReplicationPasswordFile)], null),
                (["--repo1-path=" + World.TlsDirectory, "repo-get", "ca.key"], null),
                (["--repo1-path=/etc", "repo-get", "shadow"], null),
                (["--repo1-path=" + World.PrimaryDirectory, "repo-ls", "data"], null),
                (["archive-push", Path.Combine(client.PgData, "000000010000FFFF000000FE")], null),
                // The remote loads the config the client names: one without lock-path still locks in the primary's lock folder.
                (["--repo1-host-config=/dev/null", "--repo1-path=" + World.RepoPath, "archive-push", Path.Combine(client.PgData, "000000010000FFFF000000FE")], null),
                (["stop"], null),   // not an attempt: stanza-delete's precondition, the client's own stop file
                (["--force", "stanza-delete"], null),
            };
            foreach (var (arguments, input) in attempts)
            {
                if (arguments is ["stop"])
                {
                    Assert.Equal(0, (await client.PgBackRestAsync(arguments)).ExitCode);
                    continue;
                }

                var result = await client.PgBackRestAsync(arguments, input);
                Assert.True(result.ExitCode != 0 && result.StandardError.Contains("Permission denied", StringComparison.Ordinal), $"pgbackrest {string.Join(' ', arguments)} did not fail with Permission denied: exit {result.ExitCode}\n{result.StandardOutput}\n{result.StandardError}");
                if (arguments.Contains("archive-push"))
                {
                    Assert.Contains($"unable to acquire lock on file '{World.LockPath}/{stanza}-archive.lock': Permission denied", result.StandardError, StringComparison.Ordinal);
                }

                Assert.DoesNotContain(World.ReplicationPassword, result.StandardOutput, StringComparison.Ordinal);
            }

            // pgBackRest's client refuses these itself: they run where the repository is.
            foreach (var command in new[] { "expire", "backup" })
            {
                var result = await client.PgBackRestAsync([command]);
                Assert.Contains($"{command} command must be run on the repository host", result.StandardError, StringComparison.Ordinal);
            }

            Assert.Equal(before, FileChecksums.Take(watched));

            // The boundary is the account: what it may read, an authorized client reads, the server's own key included.
            var key = await client.PgBackRestAsync(["--repo1-path=" + World.TlsDirectory, "repo-get", "server.key"]);
            Assert.Equal(0, key.ExitCode);
            Assert.Equal(await File.ReadAllTextAsync(Path.Combine(World.TlsDirectory, "server.key")), key.StandardOutput);
        }
        finally
        {
            await World.EnsurePrimaryRunningAsync();
        }
    }

    [WorldFact]
    public async Task SetupPrimary_RunAgain_ChangesNothingAndKeepsTheServer()
    {
        var pid = World.TlsServerProcessId;
        var conf = Path.Combine(World.TlsDirectory, "server.conf");
        var before = FileChecksums.Take(World.TlsDirectory);
        await World.RerunSetupAsync();
        Assert.Equal(before, FileChecksums.Take(World.TlsDirectory));
        Assert.Equal(pid, World.TlsServerProcessId);
        Assert.Contains("tls-server-port=" + World.TlsPort.ToString(CultureInfo.InvariantCulture), await File.ReadAllTextAsync(conf), StringComparison.Ordinal);
    }

    /// <summary>
    /// A request is a standby's text, and a stolen standby writes what it likes in it: a CN that would smuggle another
    /// authorization line into server.conf, a second CN, or a request signed by another key than the one it carries,
    /// is refused by --sign-csr, and nothing of the TLS folder changes.
    /// </summary>
    [WorldFact]
    public async Task SignCsr_HostileRequests_RefusedAndTheServersConfigurationUnchanged()
    {
        var before = FileChecksums.Take(World.TlsDirectory);
        var smuggled = await TlsClient.CreateAsync(World, "tls-hostile-cn", "standby tls-server-auth=attacker");
        var twoNames = await TlsClient.CreateAsync(World, "tls-two-cns", "first/CN=second");
        var forged = await TlsClient.CreateAsync(World, "tls-forged", "tls-forged");
        var csr = await File.ReadAllTextAsync(forged.CsrFile);
        var body = csr.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal)).ToList();
        body[^1] = body[^1].Length > 4 ? body[^1][..^4] + (body[^1][^4..] == "AAAA" ? "BBBB" : "AAAA") : body[^1];
        await File.WriteAllTextAsync(forged.CsrFile, "-----BEGIN CERTIFICATE REQUEST-----\n" + string.Join('\n', body) + "\n-----END CERTIFICATE REQUEST-----\n");

        foreach (var client in new[] { smuggled, twoNames, forged })
        {
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => World.SignCsrAsync(client.CsrFile));
            Assert.Contains("--sign-csr", refused.Message, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.ChangeExtension(client.CsrFile, ".crt")), "a certificate was written for " + client.CsrFile);
        }

        Assert.Equal(before, FileChecksums.Take(World.TlsDirectory));
        // Other tests of this world authorize their own clients (one is called tls-attacker): look for this one's lines only.
        Assert.DoesNotContain("tls-server-auth=attacker", await File.ReadAllTextAsync(Path.Combine(World.TlsDirectory, "server.conf")), StringComparison.Ordinal);
    }
}
