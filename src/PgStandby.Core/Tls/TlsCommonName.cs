using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace PgStandby.Core.Tls;

/// <summary>
/// The CN of a standby's certificate: its name and a random suffix, since PG_SLAVE_NAME is the same for every
/// standby by default and each certificate must be revocable alone.
/// </summary>
public static class TlsCommonName
{
    /// <summary>ub-common-name, RFC 5280 appendix A.</summary>
    public const int MaxLength = 64;

    private const string CommonNameOid = "2.5.4.3";

    /// <summary>"&lt;name&gt;-&lt;8 lowercase hex&gt;", at most 64 characters of [A-Za-z0-9._-].</summary>
    public static string For(string standbyName) => For(standbyName, RandomNumberGenerator.GetHexString(8, lowercase: true));

    internal static string For(string standbyName, string suffix)
    {
        var name = Sanitize(standbyName);
        var room = MaxLength - suffix.Length - 1;
        return $"{(name.Length > room ? name[..room] : name)}-{suffix}";
    }

    /// <summary>Each character outside [A-Za-z0-9._-] becomes '-' (one per character, surrogate pairs included).</summary>
    internal static string Sanitize(string name)
    {
        var sanitized = new StringBuilder(name.Length);
        foreach (var rune in name.Trim().EnumerateRunes())
        {
            sanitized.Append(rune.IsAscii && (char.IsAsciiLetterOrDigit((char)rune.Value) || rune.Value is '.' or '_' or '-') ? (char)rune.Value : '-');
        }

        return sanitized.Length == 0 ? "standby" : sanitized.ToString();
    }

    /// <summary>The CN of a subject or issuer; null when it has none.</summary>
    public static string? Of(X500DistinguishedName name)
    {
        foreach (var rdn in name.EnumerateRelativeDistinguishedNames())
        {
            if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == CommonNameOid)
            {
                return rdn.GetSingleElementValue();
            }
        }

        return null;
    }
}
