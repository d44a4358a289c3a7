namespace PgStandby.Core.Tls;

/// <summary>What the placed certificate bundle is worth, in the order the check decides it.</summary>
public enum TlsCertificateVerdict
{
    Ok,
    Missing,
    NotPem,
    WrongKey,
    NotYetValid,
    Expired,
    NotForClientAuth,
}
