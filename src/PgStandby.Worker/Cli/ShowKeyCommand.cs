using Microsoft.Extensions.Configuration;
using PgStandby.Core.Configuration;
using PgStandby.Core.Keys;

namespace PgStandby.Worker.Cli;

/// <summary><c>pgstandby show-key</c>: prints the public key alone, to paste into the primary's authorized_keys.</summary>
internal static class ShowKeyCommand
{
    public static int Run(IConfiguration configuration)
    {
        var sshDirectory = CliOptions.Standby(configuration).SshDirectory;
        var key = StandbyKeyPair.ReadPublicKey(sshDirectory);
        if (key is null)
        {
            Console.Error.WriteLine($"pgstandby: no key in {sshDirectory} yet: start the worker once, it generates the key on its first start.");
            return 1;
        }

        Console.WriteLine(key);
        return 0;
    }
}
