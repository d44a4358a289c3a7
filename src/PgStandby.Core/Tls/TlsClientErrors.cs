using System.Text.RegularExpressions;
using PgStandby.Core.Configuration;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Ssh;

namespace PgStandby.Core.Tls;

/// <summary>
/// What a failed pgbackrest command says about the TLS link to the primary, from pgBackRest's own error lines
/// (2.45, client side): the server unreachable, the server's certificate not trusted, this standby's certificate
/// refused, or another pgBackRest version. Anything else is the command's own failure, returned as it is.
/// </summary>
public static partial class TlsClientErrors
{
    /// <summary>Throws what the failure means for the link, or returns <paramref name="result"/> when it is the command's own.</summary>
    /// <exception cref="PrimaryUnavailableException">The server cannot be reached, is not trusted, or refuses this standby.</exception>
    /// <exception cref="StandbyException">The primary runs another pgBackRest version.</exception>
    public static RemoteResult Classify(RemoteResult result, RepositoryOptions options)
    {
        var error = result.StandardError + "\n" + result.StandardOutput;
        var where = $"{options.PrimaryHost}:{options.TlsPort}";
        if (GreetingVersionRegex().Match(error) is { Success: true } greeting)
        {
            throw VersionRefusal(options.PrimaryHost, primaryVersion: greeting.Groups["theirs"].Value, standbyVersion: greeting.Groups["ours"].Value);
        }

        if (UnreachableRegex().IsMatch(error))
        {
            throw new PrimaryUnavailableException(PrimaryUnavailableKind.Unreachable, $"cannot reach pgBackRest's TLS server at {where} ({FirstError(error)})");
        }

        if (ServerNotTrustedRegex().IsMatch(error))
        {
            throw new PrimaryUnavailableException(PrimaryUnavailableKind.HostKeyRejected, $"its certificate does not verify against the pinned CA ({FirstError(error)})");
        }

        if (ClientRefusedRegex().IsMatch(error))
        {
            throw new PrimaryUnavailableException(PrimaryUnavailableKind.KeyNotAuthorized, $"the TLS server at {where} refuses this standby's certificate ({FirstError(error)})");
        }

        return result;
    }

    /// <summary>The refusal for different pgBackRest versions, the same over SSH and TLS.</summary>
    public static StandbyException VersionRefusal(string primaryHost, string primaryVersion, string standbyVersion) => StandbyException.Refused(
        $"pgBackRest versions differ: the primary {primaryHost} runs {primaryVersion}, this standby runs {standbyVersion}; pgBackRest requires exactly the same version on both sides",
        $"install {primaryVersion} on the standby (rebuild the image with the matching PGBACKREST_VERSION), or the standby's version on the primary, then start pgstandby again");

    /// <summary>pgBackRest's first error line (ERROR: [code]: text), without the command's other output.</summary>
    private static string FirstError(string error) =>
        error.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains("ERROR", StringComparison.Ordinal)) ?? error.Trim().Split('\n')[0];

    // src/protocol/client.c: the server's greeting names its version.
    [GeneratedRegex("expected value '(?<ours>[^']+)' for greeting key 'version' but got '(?<theirs>[^']+)'")]
    private static partial Regex GreetingVersionRegex();

    [GeneratedRegex(@"HostConnectError|unable to connect to|Connection refused|No route to host|Network is unreachable|timeout|timed out|unable to get address|Name or service not known", RegexOptions.IgnoreCase)]
    private static partial Regex UnreachableRegex();

    [GeneratedRegex(@"unable to verify certificate presented by|unable to find hostname .* in certificate|certificate verify failed", RegexOptions.IgnoreCase)]
    private static partial Regex ServerNotTrustedRegex();

    [GeneratedRegex(@"certificate unknown|bad certificate|certificate expired|unknown ca|access denied|not authorized|sslv3 alert|tlsv1 alert|tlsv13 alert", RegexOptions.IgnoreCase)]
    private static partial Regex ClientRefusedRegex();
}
