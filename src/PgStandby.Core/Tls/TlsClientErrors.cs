using System.Text.RegularExpressions;
using PgStandby.Core.Configuration;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Ssh;

namespace PgStandby.Core.Tls;

/// <summary>
/// What a pgbackrest command's output says about the TLS link to the primary, from pgBackRest's own errors (2.45, client
/// side; <c>info</c> exits 0 and puts them in its status): the server unreachable ([HostConnectError]), the server's
/// certificate not trusted ([CryptoError]: another CA, or a name not in it), this standby's certificate refused
/// ([ServiceError] TLS alerts: unknown CA, expired; [AccessError] access denied: a CN not authorized for the stanza),
/// or another pgBackRest version (the protocol greeting). Anything else is the command's own, returned as it is.
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

        if (UnreachableRegex().Match(error) is { Success: true } unreachable)
        {
            throw new PrimaryUnavailableException(PrimaryUnavailableKind.Unreachable, $"cannot reach pgBackRest's TLS server at {where} ({Around(error, unreachable)})");
        }

        if (ServerNotTrustedRegex().Match(error) is { Success: true } untrusted)
        {
            throw new PrimaryUnavailableException(PrimaryUnavailableKind.HostKeyRejected, $"its certificate does not verify for {options.PrimaryHost} against the pinned CA ({Around(error, untrusted)})");
        }

        if (ClientRefusedRegex().Match(error) is { Success: true } refused)
        {
            throw new PrimaryUnavailableException(PrimaryUnavailableKind.KeyNotAuthorized, $"the TLS server at {where} refuses this standby's certificate ({Around(error, refused)})");
        }

        return result;
    }

    /// <summary>The refusal for different pgBackRest versions, the same over SSH and TLS.</summary>
    public static StandbyException VersionRefusal(string primaryHost, string primaryVersion, string standbyVersion) => StandbyException.Refused(
        $"pgBackRest versions differ: the primary {primaryHost} runs {primaryVersion}, this standby runs {standbyVersion}; pgBackRest requires exactly the same version on both sides",
        $"install {primaryVersion} on the standby (rebuild the image with the matching PGBACKREST_VERSION), or the standby's version on the primary, then start pgstandby again");

    /// <summary>The error around <paramref name="match"/>: its line (info prints JSON on one line: a window of it).</summary>
    private static string Around(string error, Match match)
    {
        var start = error.LastIndexOf('\n', match.Index) + 1;
        var end = error.IndexOf('\n', match.Index) is var newline and >= 0 ? newline : error.Length;
        start = Math.Max(start, match.Index - 80);
        end = Math.Min(end, match.Index + match.Length + 120);
        return error[start..end].Trim().Trim('"', ',', '{', '}');
    }

    // src/protocol/client.c: the server's greeting names its version.
    [GeneratedRegex("expected value '(?<ours>[^']+)' for greeting key 'version' but got '(?<theirs>[^']+)'")]
    private static partial Regex GreetingVersionRegex();

    [GeneratedRegex(@"\[HostConnectError\]|HostConnectError|unable to connect to '|unable to get address for|timeout after [0-9]+ms waiting for")]
    private static partial Regex UnreachableRegex();

    [GeneratedRegex(@"unable to verify certificate presented by|unable to find hostname '[^']*' in certificate")]
    private static partial Regex ServerNotTrustedRegex();

    [GeneratedRegex(@"TLS error \[[0-9:]+\] (?:sslv3|tlsv1|tlsv13) alert|tls protocol on '[^']*': access denied")]
    private static partial Regex ClientRefusedRegex();
}
