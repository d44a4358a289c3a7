namespace PgStandby.Core.Ssh;

public enum PrimaryUnavailableKind
{
    /// <summary>No answer, refused, DNS failure, timeout: wait for the primary.</summary>
    Unreachable,

    /// <summary>The SSH server answered but refused our key: the operator must authorize it.</summary>
    KeyNotAuthorized,

    /// <summary>The host key is not the trusted one: never accepted silently.</summary>
    HostKeyRejected,
}
