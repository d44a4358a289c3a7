using System.Text;
using CliWrap;
using CliWrap.Buffered;
using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Security;

/// <summary>
/// A standby's side of pgBackRest's TLS server: its own key and CSR (made with openssl, the key never leaves the
/// folder), a certificate (signed by the operators' script, or by hand for the refusal cases) and pgBackRest's client
/// with the primary's repository as repo1 over TLS.
/// </summary>
internal sealed class TlsClient
{
    private readonly PrimaryWorld _world;

    private TlsClient(PrimaryWorld world, string folder)
    {
        _world = world;
        Folder = folder;
    }

    public string Folder { get; }

    public string KeyFile => Path.Combine(Folder, "client.key");

    public string CsrFile => Path.Combine(Folder, "client.csr");

    /// <summary>The client certificate pgBackRest presents (repo1-host-cert-file).</summary>
    public string CertificateFile { get; private set; } = string.Empty;

    /// <summary>The CA the client verifies the server's certificate with (repo1-host-ca-file): the world's unless told.</summary>
    public string CaFile { get; set; } = string.Empty;

    /// <summary>The client's own PGDATA (pg1-path), for the commands that need one.</summary>
    public string PgData => Path.Combine(Folder, "pgdata");

    public static async Task<TlsClient> CreateAsync(PrimaryWorld world, string name, string commonName)
    {
        var folder = Path.Combine(world.Root, name);
        Directory.CreateDirectory(folder);
        var client = new TlsClient(world, folder) { CaFile = world.TlsCaFile };
        Directory.CreateDirectory(client.PgData);
        await OpenSsl.KeyAndRequestAsync(client.KeyFile, client.CsrFile, commonName);
        return client;
    }

    /// <summary>Signed and authorized by setup-primary.sh --sign-csr (tests/world/sign-csr.sh): the one bundle file is both the certificate and the CA to pin.</summary>
    public async Task<string> SignAsync()
    {
        var bundle = await _world.SignCsrAsync(CsrFile);
        CertificateFile = bundle;
        CaFile = bundle;
        return bundle;
    }

    /// <summary>Signed by the CA <paramref name="caCertificate"/> for <paramref name="days"/> days (negative: expired already), without setup-primary.sh.</summary>
    public async Task SignWithAsync(string caCertificate, string caKey, int days)
    {
        CertificateFile = Path.Combine(Folder, "hand-signed.crt");
        await OpenSsl.SignClientAsync(CsrFile, caCertificate, caKey, days, CertificateFile);
    }

    /// <summary>A certificate signed with its own key: no CA at all.</summary>
    public async Task SelfSignAsync(string commonName)
    {
        CertificateFile = Path.Combine(Folder, "self-signed.crt");
        await Shell.RunAsync("openssl", ["req", "-x509", "-key", KeyFile, "-subj", "/CN=" + commonName, "-days", "30", "-out", CertificateFile]);
    }

    /// <summary>A CA of the attacker's own, in <paramref name="folder"/>: returns its certificate and key.</summary>
    public static async Task<(string Certificate, string Key)> OtherCaAsync(string folder)
    {
        Directory.CreateDirectory(folder);
        var certificate = Path.Combine(folder, "other-ca.crt");
        var key = Path.Combine(folder, "other-ca.key");
        await Shell.RunAsync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", certificate, "-days", "30", "-subj", "/CN=another CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign"]);
        return (certificate, key);
    }

    /// <summary>pgBackRest's client, repo1 the primary's repository through the TLS server; <paramref name="arguments"/> after the client's own options.</summary>
    public async Task<BufferedCommandResult> PgBackRestAsync(IEnumerable<string> arguments, string? input = null, string? stanza = null)
    {
        var config = Path.Combine(Folder, "pgbackrest.conf");
        await File.WriteAllTextAsync(config, $"""
            [global]
            repo1-host=127.0.0.1
            repo1-host-type=tls
            repo1-host-port={_world.TlsPort}
            repo1-host-config={_world.PgBackRestConfig}
            repo1-host-cert-file={CertificateFile}
            repo1-host-key-file={KeyFile}
            repo1-host-ca-file={CaFile}
            log-path={Path.Combine(Folder, "log")}
            lock-path={Path.Combine(Folder, "lock")}
            log-level-file=off
            archive-header-check=n

            [{_world.Stanza}]
            pg1-path={PgData}

            """);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var command = Cli.Wrap("pgbackrest").WithArguments(["--config=" + config, "--stanza=" + (stanza ?? _world.Stanza), .. arguments]).WithValidation(CommandResultValidation.None);
        if (input is not null)
        {
            command = command.WithStandardInputPipe(PipeSource.FromString(input));
        }

        return await command.ExecuteBufferedAsync(Encoding.UTF8, cancellation.Token);
    }
}
