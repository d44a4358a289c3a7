using Microsoft.Extensions.Configuration;
using PgStandby.Core.Configuration;
using PgStandby.Core.Keys;
using PgStandby.Core.Tls;

namespace PgStandby.Worker.Cli;

/// <summary>
/// <c>pgstandby show-key</c>: prints what the operator takes to the primary: the public key alone, to authorize; with
/// BACKREST_REPO_TRANSPORT=tls, the certificate signing request, to sign with setup-primary.sh --sign-csr.
/// </summary>
internal static class ShowKeyCommand
{
    public static int Run(IConfiguration configuration)
    {
        var standby = CliOptions.Standby(configuration);
        var tls = CliOptions.Repository(configuration).Transport == RepositoryTransport.Tls;
        var folder = tls ? standby.TlsDirectory : standby.SshDirectory;
        var shown = tls ? TlsClientFiles.ReadRequest(folder) : StandbyKeyPair.ReadPublicKey(folder);
        if (shown is null)
        {
            Console.Error.WriteLine($"pgstandby: no {(tls ? "certificate request" : "key")} in {folder} yet: start the worker once, it makes one on its first start.");
            return 1;
        }

        Console.WriteLine(shown);
        return 0;
    }
}
