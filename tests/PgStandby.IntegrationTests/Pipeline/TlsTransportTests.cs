using System.Globalization;
using PgStandby.IntegrationTests.Security;
using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Pipeline;

/// <summary>
/// BACKREST_REPO_TRANSPORT=tls against the world's real pgBackRest TLS server (setup-primary.sh --tls-server, run as
/// the read-only account): the standby has no SSH at all (its SSH port points nowhere), makes a key and a request,
/// waits for a certificate the primary signed, and then restores, streams and catches up from the archive over TLS.
/// </summary>
[Collection(TlsWorldDefinition.Name)]
public sealed class TlsTransportTests(TlsWorld tls)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(4);

    private PrimaryWorld World => tls.Primary;

    [WorldFact]
    public async Task FirstStart_RequestSigned_RestoresStreamsCatchesUpRestartsWithoutTheServerAndPromotes_NoSshAnywhere()
    {
        await using var standby = NewTlsStandby("tls-bootstrap");
        standby.Start();
        await standby.WaitForStateAsync("waiting_for_key_authorization", Long);

        // A request to sign, shown like the SSH key was; no SSH key was made.
        var request = (await standby.RunVerbAsync("show-key")).StandardOutput.Trim();
        Assert.StartsWith("-----BEGIN CERTIFICATE REQUEST-----", request, StringComparison.Ordinal);
        Assert.Contains("PGSTANDBY TLS CERTIFICATE REQUEST", standby.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(standby.SshDirectory, "id_ed25519")), "an SSH key was made in TLS mode");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(standby.SshDirectory, "pgstandby-tls.key")));
        Assert.Equal(0, (await standby.RunVerbAsync("health")).ExitCode);

        await PlaceSignedAsync(standby);
        await standby.WaitForStateAsync("streaming", Long);
        Assert.Contains("restore of backup", standby.Output, StringComparison.Ordinal);
        await standby.WaitForProbeAsync(await World.WriteProbeRowsAsync("tls-streamed"), TimeSpan.FromMinutes(1));

        var status = standby.ReadStatus()!.Value;
        Assert.Equal("tls", status.GetProperty("transport").GetString());
        Assert.Contains("CN=tls-bootstrap-", status.GetProperty("tls_certificate").GetProperty("subject").GetString(), StringComparison.Ordinal);
        Assert.False(status.GetProperty("tls_certificate").GetProperty("expires_soon").GetBoolean());
        Assert.StartsWith("CA ", status.GetProperty("primary_host_key").GetString(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(standby.SshDirectory, "pgstandby-tls-ca.crt")), "the primary's CA was not pinned");
        var human = (await standby.RunVerbAsync("status")).StandardOutput;
        Assert.Contains("pgBackRest's TLS server, no SSH", human, StringComparison.Ordinal);

        // Streaming refused: the rows come through asynchronous archive-get over TLS alone.
        Assert.Equal(0, await standby.StopAsync(TimeSpan.FromSeconds(90)));
        standby.Environment["PG_REPLICATION_PASSWORD"] = "not-the-password";
        standby.Start();
        await standby.WaitForStateAsync("catching_up_from_archive", Long);
        var archived = await World.WriteProbeRowsAsync("tls-archived", 500);
        await World.SqlAsync("SELECT pg_switch_wal()");
        await standby.WaitForProbeAsync(archived, TimeSpan.FromMinutes(2));
        Assert.DoesNotContain("restore of backup", standby.Output, StringComparison.Ordinal);
        Assert.True(Directory.EnumerateFiles(standby.Environment["BACKREST_LOG_PATH"]!, "*archive-get*").Any(), "no archive-get log: the rows did not come through pgBackRest");

        // Restarted while the TLS server cannot be reached: the standby starts as it is and streams.
        Assert.Equal(0, await standby.StopAsync(TimeSpan.FromSeconds(90)));
        var tlsPort = standby.Environment["BACKREST_PRIMARY_TLS_PORT"];
        standby.Environment["BACKREST_PRIMARY_TLS_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        standby.Environment["PG_REPLICATION_PASSWORD"] = World.ReplicationPassword;
        standby.Start();
        await standby.WaitForStateAsync("streaming", Long);
        Assert.Contains("classified as StartExisting", standby.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("restore of backup", standby.Output, StringComparison.Ordinal);

        // The primary dies: promote, the archive read over TLS, every archived row there.
        Assert.Equal(0, await standby.StopAsync(TimeSpan.FromSeconds(90)));
        standby.Environment["BACKREST_PRIMARY_TLS_PORT"] = tlsPort;
        standby.Start();
        await standby.WaitForStateAsync("streaming", Long);
        var last = await World.WriteProbeRowsAsync("tls-before-the-end");
        await standby.WaitForProbeAsync(last, TimeSpan.FromMinutes(1));
        await World.StopPrimaryAsync();
        try
        {
            var promote = await standby.RunVerbAsync("promote");
            Assert.True(promote.ExitCode == 0, promote.StandardOutput + promote.StandardError);
            Assert.Contains("The archive's newest WAL: 0000000", promote.StandardOutput, StringComparison.Ordinal);
            await standby.WaitForStateAsync("primary", Long);
            Assert.Equal(last, await standby.ProbeFingerprintAsync());
            await standby.ScalarAsync(ProbeTable.InsertSql("tls-promoted", 5));
        }
        finally
        {
            await World.EnsurePrimaryRunningAsync();
        }
    }

    [WorldFact]
    public async Task CertificateRefusals_OtherCaExpiredNotAuthorized_WaitNamingTheCause_ThenServerDownWaitsForThePrimary()
    {
        await using var standby = NewTlsStandby("tls-refusals");
        standby.Environment["BACKREST_PRIMARY_TLS_CA_FILE"] = World.TlsCaFile;
        standby.Start();
        await standby.WaitForStateAsync("waiting_for_key_authorization", Long);
        var request = Path.Combine(standby.SshDirectory, "pgstandby-tls.csr");
        var placed = Path.Combine(standby.SshDirectory, "pgstandby-tls.crt");

        // Signed by a CA that is not the primary's: refused by the worker before anything is sent.
        var (otherCa, otherKey) = await TlsClient.OtherCaAsync(Path.Combine(standby.Directory, "other-ca"));
        await File.WriteAllTextAsync(placed, await SignAsync(standby, request, otherCa, otherKey, days: 30) + await File.ReadAllTextAsync(otherCa));
        await WaitForReasonAsync(standby, "the pinned CA is");

        // Expired, though signed by the primary's CA.
        await File.WriteAllTextAsync(placed, await SignAsync(standby, request, World.TlsCaFile, Path.Combine(World.TlsDirectory, "ca.key"), days: -1));
        await WaitForReasonAsync(standby, "expired");

        // Signed by the script, then its CN revoked: the server itself refuses.
        var bundle = await World.SignCsrAsync(request, Path.Combine(standby.Directory, "signed.crt"));
        var commonName = await CommonNameAsync(bundle);
        await Shell.RunAsync(Path.Combine(RepositoryPaths.Root, "deploy", "primary", "setup-primary.sh"), ["--tls-dir", World.TlsDirectory, "--revoke-tls-cn", commonName]);
        File.Copy(bundle, placed, overwrite: true);
        await WaitForReasonAsync(standby, "refuses this standby's certificate");
        Assert.Equal("waiting_for_key_authorization", standby.State);
        Assert.False(File.Exists(Path.Combine(standby.DataDirectory, "PG_VERSION")), "something was restored");
        Assert.Equal(0, (await standby.RunVerbAsync("health")).ExitCode);

        // The TLS server down: waiting for the primary, naming the port.
        await using var down = NewTlsStandby("tls-server-down");
        down.Environment["BACKREST_PRIMARY_TLS_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        down.Start();
        await down.WaitForStateAsync("waiting_for_key_authorization", Long);
        await PlaceSignedAsync(down);
        await down.WaitForStateAsync("waiting_for_primary", Long);
        Assert.Contains("BACKREST_PRIMARY_TLS_PORT", down.ReadStatus()!.Value.GetProperty("next_step").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await down.RunVerbAsync("health")).ExitCode);
    }

    /// <summary>A standby of the TLS world over TLS only: its SSH port is a closed one, so any SSH use would fail.</summary>
    private StandbyProcess NewTlsStandby(string name)
    {
        var standby = World.NewStandby(name);
        standby.Environment["BACKREST_REPO_TRANSPORT"] = "tls";
        standby.Environment["BACKREST_PRIMARY_TLS_PORT"] = World.TlsPort.ToString(CultureInfo.InvariantCulture);
        standby.Environment["BACKREST_PRIMARY_SSH_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        return standby;
    }

    /// <summary>As an operator does: the request signed on the primary (setup-primary.sh --sign-csr), the bundle copied to the standby's folder.</summary>
    private async Task PlaceSignedAsync(StandbyProcess standby)
    {
        var bundle = await World.SignCsrAsync(Path.Combine(standby.SshDirectory, "pgstandby-tls.csr"), Path.Combine(standby.Directory, "signed.crt"));
        File.Copy(bundle, Path.Combine(standby.SshDirectory, "pgstandby-tls.crt"));
    }

    /// <summary>Signs the standby's request with openssl as a CA would, without setup-primary.sh: returns the certificate (PEM).</summary>
    private static async Task<string> SignAsync(StandbyProcess standby, string request, string caCertificate, string caKey, int days)
    {
        var certificate = Path.Combine(standby.Directory, "hand-signed.crt");
        await OpenSsl.SignClientAsync(request, caCertificate, caKey, days, certificate);
        return await File.ReadAllTextAsync(certificate);
    }

    private static async Task<string> CommonNameAsync(string certificate)
    {
        var subject = await Shell.RunAsync("openssl", ["x509", "-in", certificate, "-noout", "-subject", "-nameopt", "multiline"]);
        return subject.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("commonName", StringComparison.Ordinal)).Split('=', 2)[1].Trim();
    }

    private static async Task WaitForReasonAsync(StandbyProcess standby, string text)
    {
        string? reason = null;
        await Eventually.ThatAsync(
            () => Task.FromResult((reason = standby.ReadStatus()?.GetProperty("reason").GetString())?.Contains(text, StringComparison.Ordinal) == true),
            TimeSpan.FromMinutes(1),
            () => $"the reason is '{reason}', not one naming '{text}'; log:\n{standby.Output}");
    }
}
